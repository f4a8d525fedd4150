namespace MnistMl.Torch.NN;

/// <summary>Max pooling over NCHW input (torch.nn.MaxPool2d, Keras MaxPooling2D). Stride defaults to the pool size.</summary>
public sealed class MaxPool2d((long H, long W) kernelSize, (long H, long W)? stride = null, Padding2d? padding = null)
    : Pool2d(kernelSize, stride, padding)
{
    public override Tensor Forward(Tensor input)
    {
        CheckRank(input);
        var (symmetric, extra) = Padding.Resolve(input.Size(2), input.Size(3), KernelSize, Stride, (1, 1));
        if (extra is null && symmetric == (0, 0)) return Functional.MaxPool2d(input, KernelSize, Stride);
        // Padded cells must never win the max: pad with -inf (Keras "same" semantics).
        using var padded = Functional.Pad(input, extra ?? [symmetric.W, symmetric.W, symmetric.H, symmetric.H], value: double.NegativeInfinity);
        return Functional.MaxPool2d(padded, KernelSize, Stride);
    }
}

/// <summary>
/// Average pooling over NCHW input (torch.nn.AvgPool2d, Keras AveragePooling2D). With "same" padding the average
/// is taken over the real cells only, as Keras does.
/// </summary>
public sealed class AvgPool2d((long H, long W) kernelSize, (long H, long W)? stride = null, Padding2d? padding = null)
    : Pool2d(kernelSize, stride, padding)
{
    public override Tensor Forward(Tensor input)
    {
        CheckRank(input);
        var (symmetric, extra) = Padding.Resolve(input.Size(2), input.Size(3), KernelSize, Stride, (1, 1));
        if (extra is null)
            return Functional.AvgPool2d(input, KernelSize, Stride, symmetric, countIncludePad: Padding.Kind == "explicit");
        // Asymmetric "same": sum over real cells divided by their count = avg(padded x) / avg(padded ones).
        using var padded = Functional.Pad(input, extra);
        using var sums = Functional.AvgPool2d(padded, KernelSize, Stride);
        using var ones = torch.Ones([1, 1, input.Size(2), input.Size(3)], input.Dtype);
        using var paddedOnes = Functional.Pad(ones, extra);
        using var counts = Functional.AvgPool2d(paddedOnes, KernelSize, Stride);
        return sums / counts;
    }
}

/// <summary>Average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d); (1, 1) is global average pooling.</summary>
public sealed class AdaptiveAvgPool2d((long H, long W) outputSize) : Module
{
    public (long H, long W) OutputSize { get; } = outputSize;

    public override Tensor Forward(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"AdaptiveAvgPool2d expects a 4-D input [N, C, H, W]; got [{string.Join(", ", input.Shape)}].", nameof(input));
        return Functional.AdaptiveAvgPool2d(input, OutputSize);
    }
}

/// <summary>What the windowed pooling layers share: pool size, stride (default: the pool size), padding.</summary>
public abstract class Pool2d : Module
{
    protected Pool2d((long H, long W) kernelSize, (long H, long W)? stride, Padding2d? padding)
    {
        if (kernelSize.H <= 0 || kernelSize.W <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The pool size must be positive.");
        if (stride is { } s && (s.H <= 0 || s.W <= 0)) throw new ArgumentOutOfRangeException(nameof(stride), s, "The stride must be positive.");
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding ?? Padding2d.Valid;
    }

    public (long H, long W) KernelSize { get; }
    public (long H, long W) Stride { get; }
    public Padding2d Padding { get; }

    protected void CheckRank(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"{GetType().Name} expects a 4-D input [N, C, H, W]; got [{string.Join(", ", input.Shape)}].", nameof(input));
    }
}
