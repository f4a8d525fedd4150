using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MnistMl.Trainers.Keras;

/// <summary>The activation functions, by their Keras names.</summary>
public enum ActivationKind
{
    Linear, Relu, Relu6, LeakyRelu, Elu, Selu, Gelu, Sigmoid, HardSigmoid, Tanh, Softplus, Softsign, Swish, Exponential, Softmax, LogSoftmax,
}

/// <summary>
/// Keras activations on TorchSharp tensors. Where Keras and PyTorch differ, Keras wins: <c>hard_sigmoid</c> is
/// clip(0.2·x + 0.5, 0, 1) (PyTorch's hardsigmoid is relu6(x + 3)/6), <c>gelu</c> is the exact erf form,
/// <c>exponential</c> is exp(x). Softmax and log-softmax act on the last dimension.
/// </summary>
public static class KerasActivations
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid", "tanh",
        "softplus", "softsign", "swish", "exponential", "softmax", "log_softmax",
    ];

    /// <summary>Parses a Keras activation name ("relu", "hard_sigmoid", "swish"/"silu", "linear", …).</summary>
    public static ActivationKind Parse(string name) => (name ?? "").Replace("_", "").ToLowerInvariant() switch
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

    /// <summary>
    /// The parameter of an activation given by name, as Keras' functions define it: leaky_relu's negative slope 0.2
    /// (tf.nn.leaky_relu), elu's α 1.0; the other activations have none.
    /// </summary>
    public static double DefaultAlpha(ActivationKind kind) => kind == ActivationKind.LeakyRelu ? 0.2 : 1.0;

    /// <summary>Applies an activation; the result is always a new tensor (linear returns an alias).</summary>
    public static Tensor Apply(ActivationKind kind, Tensor x, double alpha = 1.0) => kind switch
    {
        ActivationKind.Linear => x.alias(),
        ActivationKind.Relu => F.relu(x),
        ActivationKind.Relu6 => F.relu6(x),
        ActivationKind.LeakyRelu => F.leaky_relu(x, alpha),
        ActivationKind.Elu => F.elu(x, alpha),
        ActivationKind.Selu => F.selu(x),
        ActivationKind.Gelu => F.gelu(x),
        ActivationKind.Sigmoid => torch.sigmoid(x),
        ActivationKind.HardSigmoid => HardSigmoid(x),
        ActivationKind.Tanh => torch.tanh(x),
        ActivationKind.Softplus => F.softplus(x),
        ActivationKind.Softsign => F.softsign(x),
        ActivationKind.Swish => F.silu(x),
        ActivationKind.Exponential => torch.exp(x),
        ActivationKind.Softmax => F.softmax(x, -1),
        ActivationKind.LogSoftmax => F.log_softmax(x, -1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };

    /// <summary>Keras 2's hard_sigmoid: clip(0.2·x + 0.5, 0, 1).</summary>
    private static Tensor HardSigmoid(Tensor x)
    {
        using var scaled = x * 0.2;
        using var shifted = scaled + 0.5;
        return shifted.clamp(0.0, 1.0);
    }
}
