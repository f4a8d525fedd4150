using MnistMl.Trainers.Keras;
using static TorchSharp.torch;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// How a Keras padding becomes TorchSharp modules: a symmetric padding goes into the convolution or pooling module
/// itself; an asymmetric "same" border (even kernels, strides above 1) becomes a constant-padding module before it.
/// </summary>
internal sealed record Borders((long H, long W) Symmetric, (long Left, long Right, long Top, long Bottom)? Extra)
{
    public static Borders Resolve(Padding2d padding, long[] input, (long H, long W) kernel, (long H, long W) stride)
    {
        var (left, right, top, bottom) = padding.Resolve(input[1], input[2], kernel, stride, (1, 1));
        if (left == right && top == bottom) return new((top, left), null);
        return new((0, 0), (left, right, top, bottom));
    }

    /// <summary>The padding module for the asymmetric case (null otherwise), filling with <paramref name="value"/>.</summary>
    public nn.Module<Tensor, Tensor>? Module(double value) =>
        Extra is { } e ? nn.ConstantPad2d((e.Left, e.Right, e.Top, e.Bottom), value) : null;
}
