using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MnistMl.Trainers.Keras;

/// <summary>
/// Average pooling with Keras "same" padding where the border is asymmetric (TorchSharp's AvgPool2d pads
/// symmetrically only): each window averages its real cells only, as Keras does — avg(padded x) / avg(padded ones).
/// </summary>
public sealed class SameAvgPool2d : nn.Module<Tensor, Tensor>
{
    public SameAvgPool2d(long[] kernelSize, long[] stride, (long Left, long Right, long Top, long Bottom) padding) : base(nameof(SameAvgPool2d))
    {
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
    }

    public long[] KernelSize { get; }
    public long[] Stride { get; }
    public (long Left, long Right, long Top, long Bottom) Padding { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        long[] pads = [Padding.Left, Padding.Right, Padding.Top, Padding.Bottom];
        var sums = F.avg_pool2d(F.pad(input, pads), KernelSize, Stride);
        var ones = torch.ones([1, 1, input.size(2), input.size(3)], input.dtype);
        var counts = F.avg_pool2d(F.pad(ones, pads), KernelSize, Stride);
        return (sums / counts).MoveToOuterDisposeScope();
    }
}
