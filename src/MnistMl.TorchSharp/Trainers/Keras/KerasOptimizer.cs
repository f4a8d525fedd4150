using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Trainers.Keras;

/// <summary>
/// A TorchSharp optimizer (<c>torch.optim.*</c>) with the Keras options it lacks: <c>clipnorm</c> (each gradient
/// tensor scaled on its own to an L2 norm of at most ClipNorm), <c>global_clipnorm</c> (all gradients together, as
/// <c>torch.nn.utils.clip_grad_norm_</c>), <c>clipvalue</c> (element-wise clamp), applied in that order before each
/// step as Keras does, and Keras' legacy time-based <c>decay</c>: step t (0, 1, 2, …) uses LearningRate / (1 + decay·t).
/// </summary>
public sealed class KerasOptimizer : IDisposable
{
    private readonly TorchSharp.Modules.Parameter[] parameters;
    private double learningRate;

    public KerasOptimizer(torch.optim.Optimizer optimizer, IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate,
        double? clipNorm = null, double? globalClipNorm = null, double? clipValue = null, double decay = 0)
    {
        if (clipNorm is not null && globalClipNorm is not null)
            throw new ArgumentException("clip_norm and global_clip_norm cannot both be set (as in Keras).", nameof(globalClipNorm));
        Optimizer = optimizer;
        this.parameters = parameters.ToArray();
        this.learningRate = learningRate;
        ClipNorm = PositiveOrNull(clipNorm, "clip_norm");
        GlobalClipNorm = PositiveOrNull(globalClipNorm, "global_clip_norm");
        ClipValue = PositiveOrNull(clipValue, "clip_value");
        if (!(decay >= 0) || !double.IsFinite(decay)) throw new ArgumentOutOfRangeException("decay", decay, "decay must be finite and not negative.");
        Decay = decay;
        ApplyLearningRate();
    }

    /// <summary>The TorchSharp optimizer that updates the parameters.</summary>
    public torch.optim.Optimizer Optimizer { get; }

    public double? ClipNorm { get; }
    public double? GlobalClipNorm { get; }
    public double? ClipValue { get; }
    public double Decay { get; }

    /// <summary>Number of <see cref="Step"/> calls so far (Keras' iterations).</summary>
    public long StepCount { get; private set; }

    /// <summary>The base learning rate (schedules and ReduceLROnPlateau set it); with decay, step t uses it / (1 + decay·t).</summary>
    public double LearningRate
    {
        get => learningRate;
        set
        {
            if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a finite number greater than 0.");
            learningRate = value;
            ApplyLearningRate();
        }
    }

    /// <summary>Puts back the step count and base learning rate of a checkpoint (the TorchSharp optimizer's own state is loaded separately).</summary>
    internal void Restore(long stepCount, double learningRate)
    {
        if (stepCount < 0) throw new ArgumentOutOfRangeException(nameof(stepCount), stepCount, "The step count must not be negative.");
        StepCount = stepCount;
        LearningRate = learningRate;
    }

    /// <summary>
    /// Drops the gradients (set to none, PyTorch 2's default and the raw loops' choice) rather than zeroing them, as
    /// TorchSharp's optimizers do: the next backward writes fresh gradients instead of adding to zeros.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            using var grad = p.grad;
            if (grad is not null) p.grad = null;
        }
    }

    /// <summary>Clips the gradients as configured, then lets the TorchSharp optimizer update the parameters.</summary>
    public void Step()
    {
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            if (ClipNorm is double perTensor)
                foreach (var p in parameters)
                    if (p.grad is { } g)
                    {
                        // Keras' clip_by_norm: g · clip / max(‖g‖, clip).
                        var norm = g.norm();
                        g.mul_(perTensor / Math.Max(norm.ToDouble(), perTensor));
                    }
            if (GlobalClipNorm is double global) torch.nn.utils.clip_grad_norm_(parameters.Where(p => p.grad is not null), global);
            if (ClipValue is double value) torch.nn.utils.clip_grad_value_(parameters.Where(p => p.grad is not null), value);
        }
        ApplyLearningRate();
        Optimizer.step();
        StepCount++;
    }

    private void ApplyLearningRate()
    {
        double current = learningRate / (1 + Decay * StepCount);
        foreach (var group in Optimizer.ParamGroups) group.LearningRate = current;
    }

    private static double? PositiveOrNull(double? value, string name)
    {
        if (value is { } v && (!(v > 0) || !double.IsFinite(v))) throw new ArgumentOutOfRangeException(name, v, $"{name} must be a finite number greater than 0.");
        return value;
    }

    public void Dispose() => Optimizer.Dispose();
}
