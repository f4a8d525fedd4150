using MnistMl.Torch.Native;

namespace MnistMl.Torch.NN;

// Activation functions. Where Keras and PyTorch disagree, the Keras definition is taken and said so.
public static partial class Functional
{
    public static Tensor Relu(Tensor x) => x.Relu();

    /// <summary>min(max(x, 0), 6).</summary>
    public static Tensor Relu6(Tensor x) => Wrap(NativeMethods.mm_hardtanh(x.Handle, 0, 6), nameof(Relu6));

    /// <summary>x for x ≥ 0, slope·x otherwise (PyTorch default slope 0.01; Keras' LeakyReLU uses 0.3).</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01) => Wrap(NativeMethods.mm_leaky_relu(x.Handle, negativeSlope), nameof(LeakyRelu));

    public static Tensor Elu(Tensor x, double alpha = 1.0) => Wrap(NativeMethods.mm_elu(x.Handle, alpha), nameof(Elu));

    public static Tensor Selu(Tensor x) => Wrap(NativeMethods.mm_unary(x.Handle, UnaryOp.Selu), nameof(Selu));

    /// <summary>Exact (erf) GELU, as Keras' default; <paramref name="tanhApproximation"/> selects the tanh form.</summary>
    public static Tensor Gelu(Tensor x, bool tanhApproximation = false) => Wrap(NativeMethods.mm_gelu(x.Handle, tanhApproximation ? 1 : 0), nameof(Gelu));

    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();

    /// <summary>Keras' hard_sigmoid: clip(0.2·x + 0.5, 0, 1). (PyTorch's hardsigmoid is relu6(x + 3) / 6, a different curve.)</summary>
    public static Tensor HardSigmoid(Tensor x)
    {
        using var scaled = x * 0.2;
        scaled.Add_(0.5);
        return scaled.Clamp(0, 1);
    }

    public static Tensor Tanh(Tensor x) => x.Tanh();

    /// <summary>log(1 + exp(β·x)) / β, linear above the threshold for stability.</summary>
    public static Tensor Softplus(Tensor x, double beta = 1, double threshold = 20) => Wrap(NativeMethods.mm_softplus(x.Handle, beta, threshold), nameof(Softplus));

    /// <summary>x / (1 + |x|).</summary>
    public static Tensor Softsign(Tensor x)
    {
        using var denominator = x.Abs();
        denominator.Add_(1);
        return x / denominator;
    }

    /// <summary>x·sigmoid(x) (Keras swish, PyTorch SiLU).</summary>
    public static Tensor Silu(Tensor x) => Wrap(NativeMethods.mm_unary(x.Handle, UnaryOp.Silu), nameof(Silu));

    /// <summary>Keras' "exponential" activation: exp(x).</summary>
    public static Tensor Exponential(Tensor x) => x.Exp();

    public static Tensor Softmax(Tensor x, long dim = -1) => Wrap(NativeMethods.mm_softmax(x.Handle, dim), nameof(Softmax));

    public static Tensor LogSoftmax(Tensor x, long dim = -1) => Wrap(NativeMethods.mm_log_softmax(x.Handle, dim), nameof(LogSoftmax));
}
