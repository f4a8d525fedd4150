using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>Copies a TorchSharp tensor's elements into managed memory (row-major, one copy).</summary>
public static class TensorSpans
{
    public static void CopyTo<T>(this Tensor tensor, Span<T> destination) where T : unmanaged
    {
        using var contiguous = tensor.contiguous();
        contiguous.data<T>().CopyTo(destination, 0, 0);
    }
}
