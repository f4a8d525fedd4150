using MnistMl.Trainers.Keras;
using TorchSharp;
using static TorchSharp.torch;

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
        var probe = new TorchSharp.Modules.Parameter(torch.zeros(1));
        using var optimizer = Create([probe]);
    }

    /// <summary>
    /// Creates TorchSharp's optimizer of this name (<c>torch.optim.Adam</c>, …) over <paramref name="parameters"/> with
    /// Keras' defaults, wrapped with Keras' clipping and decay options.
    /// </summary>
    public KerasOptimizer Create(IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        var list = parameters.ToList();
        if (list.Count == 0) throw new ArgumentException("The optimizer got an empty parameter list (is every layer frozen?).", nameof(parameters));
        double lr = InitialLearningRate;
        if (!(lr > 0) || !double.IsFinite(lr))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), lr, "The learning rate must be a finite number greater than 0.");
        const double KerasEpsilon = 1e-7;
        double beta1 = Fraction(Beta1 ?? 0.9, "beta_1"), beta2 = Fraction(Beta2 ?? 0.999, "beta_2");
        double epsilon = NonNegative(Epsilon ?? KerasEpsilon, "epsilon"), weightDecay = NonNegative(WeightDecay ?? (Key == "adamw" ? 0.004 : 0), "weight_decay");
        double momentum = NonNegative(Momentum ?? 0, "momentum"), rho = Fraction(Rho ?? (Key == "adadelta" ? 0.95 : 0.9), "rho");
        if (Nesterov && momentum <= 0) throw new ArgumentException($"Nesterov momentum requires a momentum above 0 (momentum = {momentum}).", nameof(Nesterov));
        double decay = NonNegative(Decay ?? 0, "decay");
        if (decay != 0 && Key != "sgd") throw new ArgumentException($"decay (Keras' time-based learning-rate decay) is an SGD option; '{Name}' does not take it.", nameof(Decay));
        double initialAccumulator = NonNegative(InitialAccumulatorValue ?? 0.1, "initial_accumulator_value");
        torch.optim.Optimizer optimizer = Key switch
        {
            "adam" => torch.optim.Adam(list, lr, beta1, beta2, epsilon, weightDecay, Amsgrad),
            "adamw" => torch.optim.AdamW(list, lr, beta1, beta2, epsilon, weightDecay, Amsgrad),
            "nadam" => torch.optim.NAdam(list, lr, beta1, beta2, epsilon, weightDecay),
            "sgd" => torch.optim.SGD(list, lr, momentum, 0, weightDecay, Nesterov),
            "rmsprop" => torch.optim.RMSProp(list, lr, rho, epsilon, weightDecay, momentum, Centered),
            "adagrad" => torch.optim.Adagrad(list, lr, 0, weightDecay, initialAccumulator, epsilon),
            "adadelta" => torch.optim.Adadelta(list, lr, rho, epsilon, weightDecay),
            _ => throw new ArgumentException($"Unknown optimizer '{Name}'. Known: {string.Join(", ", Names)}.", nameof(Name)),
        };
        try
        {
            return new KerasOptimizer(optimizer, list, lr, ClipNorm, GlobalClipNorm, ClipValue, decay);
        }
        catch
        {
            optimizer.Dispose();
            throw;
        }
    }

    private static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and not negative.");

    private static double Fraction(double value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
}
