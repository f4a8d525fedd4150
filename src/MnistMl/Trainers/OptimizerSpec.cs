using MnistMl.Torch;
using MnistMl.Torch.Optim;

namespace MnistMl.Trainers;

/// <summary>
/// An optimizer by Keras name ("adam", "sgd", "rmsprop", "adagrad", "adadelta", "nadam", "adamw") with its
/// hyper-parameters. Unset values take Keras' defaults (learning rate 0.001 except SGD's 0.01, epsilon 1e-7,
/// RMSprop rho 0.9, Adadelta rho 0.95, Adagrad initial accumulator 0.1), which differ from PyTorch's.
/// </summary>
public sealed record OptimizerSpec
{
    public OptimizerSpec() { }

    public OptimizerSpec(string name, double? learningRate = null)
    {
        Name = name;
        LearningRate = learningRate;
    }

    public string Name { get; init; } = "adam";
    public double? LearningRate { get; init; }
    public double? Beta1 { get; init; }
    public double? Beta2 { get; init; }
    public double? Epsilon { get; init; }
    public double? Momentum { get; init; }
    public bool Nesterov { get; init; }
    /// <summary>Keras' legacy time-based decay: lr / (1 + decay · iterations).</summary>
    public double? Decay { get; init; }
    public double? Rho { get; init; }
    public double? WeightDecay { get; init; }
    public bool Amsgrad { get; init; }
    public bool Centered { get; init; }
    public double? InitialAccumulatorValue { get; init; }
    public double? ClipNorm { get; init; }
    public double? ClipValue { get; init; }
    public double? GlobalClipNorm { get; init; }

    public static IReadOnlyList<string> Names { get; } = ["adam", "adamw", "nadam", "sgd", "rmsprop", "adagrad", "adadelta"];

    /// <summary>The learning rate this spec starts with (its own, or Keras' default for the optimizer).</summary>
    public double InitialLearningRate => LearningRate ?? (Key == "sgd" ? 0.01 : 0.001);

    private string Key => Name.Replace("_", "").ToLowerInvariant();

    /// <summary>Checks the name and hyper-parameters without creating anything; errors name the parameter.</summary>
    public void Validate()
    {
        using var scope = torch.NewDisposeScope();
        using var probe = torch.Zeros(1).RequiresGrad_();
        using var optimizer = Create([probe]);
    }

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public Optimizer Create(IEnumerable<Tensor> parameters)
    {
        double lr = InitialLearningRate;
        if (!(lr > 0) || !double.IsFinite(lr))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), lr, "The learning rate must be a finite number greater than 0.");
        const double KerasEpsilon = 1e-7;
        Optimizer optimizer = Key switch
        {
            "adam" => new Adam(parameters, lr, Beta1 ?? 0.9, Beta2 ?? 0.999, Epsilon ?? KerasEpsilon, WeightDecay ?? 0, Amsgrad),
            "adamw" => new AdamW(parameters, lr, Beta1 ?? 0.9, Beta2 ?? 0.999, Epsilon ?? KerasEpsilon, WeightDecay ?? 0.004, Amsgrad),
            "nadam" => new NAdam(parameters, lr, Beta1 ?? 0.9, Beta2 ?? 0.999, Epsilon ?? KerasEpsilon, WeightDecay ?? 0),
            "sgd" => new SGD(parameters, lr, Momentum ?? 0, 0, WeightDecay ?? 0, Nesterov, Decay ?? 0),
            "rmsprop" => new RMSprop(parameters, lr, Rho ?? 0.9, Epsilon ?? KerasEpsilon, WeightDecay ?? 0, Momentum ?? 0, Centered),
            "adagrad" => new Adagrad(parameters, lr, 0, WeightDecay ?? 0, InitialAccumulatorValue ?? 0.1, Epsilon ?? KerasEpsilon),
            "adadelta" => new Adadelta(parameters, lr, Rho ?? 0.95, Epsilon ?? KerasEpsilon, WeightDecay ?? 0),
            _ => throw new ArgumentException($"Unknown optimizer '{Name}'. Known: {string.Join(", ", Names)}.", nameof(Name)),
        };
        try
        {
            optimizer.ClipNorm = ClipNorm;
            optimizer.GlobalClipNorm = GlobalClipNorm;
            optimizer.ClipValue = ClipValue;
        }
        catch
        {
            optimizer.Dispose();
            throw;
        }
        return optimizer;
    }
}
