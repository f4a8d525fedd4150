namespace MnistMl.Torch.NN;

/// <summary>The activation functions, by their Keras names.</summary>
public enum ActivationKind
{
    Linear, Relu, Relu6, LeakyRelu, Elu, Selu, Gelu, Sigmoid, HardSigmoid, Tanh, Softplus, Softsign, Swish, Exponential, Softmax, LogSoftmax,
}

/// <summary>
/// An activation as a module (Keras Activation layer; torch.nn.ReLU, Sigmoid, …). Softmax and log-softmax act on the last dimension.
/// <see cref="Alpha"/> is the negative slope of leaky_relu (Keras default 0.3) and the α of elu (1.0).
/// </summary>
public sealed class Activation : Module
{
    public Activation(ActivationKind kind, double? alpha = null)
    {
        Kind = kind;
        Alpha = alpha ?? (kind == ActivationKind.LeakyRelu ? 0.3 : 1.0);
    }

    /// <summary>Parses a Keras activation name ("relu", "hard_sigmoid", "swish"/"silu", "linear", …).</summary>
    public Activation(string name, double? alpha = null) : this(Parse(name), alpha) { }

    public ActivationKind Kind { get; }
    public double Alpha { get; }

    public override Tensor Forward(Tensor input) => Apply(Kind, input, Alpha);

    /// <summary>Applies an activation; the result is always a new tensor (linear returns an alias).</summary>
    public static Tensor Apply(ActivationKind kind, Tensor x, double alpha = 1.0) => kind switch
    {
        ActivationKind.Linear => x.Alias(),
        ActivationKind.Relu => Functional.Relu(x),
        ActivationKind.Relu6 => Functional.Relu6(x),
        ActivationKind.LeakyRelu => Functional.LeakyRelu(x, alpha),
        ActivationKind.Elu => Functional.Elu(x, alpha),
        ActivationKind.Selu => Functional.Selu(x),
        ActivationKind.Gelu => Functional.Gelu(x),
        ActivationKind.Sigmoid => Functional.Sigmoid(x),
        ActivationKind.HardSigmoid => Functional.HardSigmoid(x),
        ActivationKind.Tanh => Functional.Tanh(x),
        ActivationKind.Softplus => Functional.Softplus(x),
        ActivationKind.Softsign => Functional.Softsign(x),
        ActivationKind.Swish => Functional.Silu(x),
        ActivationKind.Exponential => Functional.Exponential(x),
        ActivationKind.Softmax => Functional.Softmax(x, -1),
        ActivationKind.LogSoftmax => Functional.LogSoftmax(x, -1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };

    public static IReadOnlyList<string> Names { get; } =
    [
        "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid", "tanh",
        "softplus", "softsign", "swish", "exponential", "softmax", "log_softmax",
    ];

    public static ActivationKind Parse(string name) => name.Replace("_", "").ToLowerInvariant() switch
    {
        "linear" or "identity" or "none" => ActivationKind.Linear,
        "relu" => ActivationKind.Relu,
        "relu6" => ActivationKind.Relu6,
        "leakyrelu" => ActivationKind.LeakyRelu,
        "elu" => ActivationKind.Elu,
        "selu" => ActivationKind.Selu,
        "gelu" => ActivationKind.Gelu,
        "sigmoid" => ActivationKind.Sigmoid,
        "hardsigmoid" => ActivationKind.HardSigmoid,
        "tanh" => ActivationKind.Tanh,
        "softplus" => ActivationKind.Softplus,
        "softsign" => ActivationKind.Softsign,
        "swish" or "silu" => ActivationKind.Swish,
        "exponential" or "exp" => ActivationKind.Exponential,
        "softmax" => ActivationKind.Softmax,
        "logsoftmax" => ActivationKind.LogSoftmax,
        _ => throw new ArgumentException($"Unknown activation '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };
}
