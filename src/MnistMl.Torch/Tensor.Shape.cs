using MnistMl.Torch.Native;

namespace MnistMl.Torch;

public sealed partial class Tensor
{
    public unsafe Tensor Reshape(params long[] shape)
    {
        fixed (long* p = shape) return Wrap(NativeMethods.mm_tensor_reshape(Handle, p, shape.Length));
    }

    public unsafe Tensor View(params long[] shape)
    {
        fixed (long* p = shape) return Wrap(NativeMethods.mm_tensor_view(Handle, p, shape.Length));
    }

    public Tensor Flatten(long startDim = 0, long endDim = -1) =>
        Wrap(NativeMethods.mm_tensor_flatten(Handle, startDim, endDim));

    public unsafe Tensor Permute(params long[] dims)
    {
        fixed (long* p = dims) return Wrap(NativeMethods.mm_tensor_permute(Handle, p, dims.Length));
    }

    public Tensor Transpose(long dim0, long dim1) => Wrap(NativeMethods.mm_tensor_transpose(Handle, dim0, dim1));

    public Tensor Squeeze(long dim) => Wrap(NativeMethods.mm_tensor_squeeze(Handle, dim));

    public Tensor Unsqueeze(long dim) => Wrap(NativeMethods.mm_tensor_unsqueeze(Handle, dim));

    public unsafe Tensor Expand(params long[] shape)
    {
        fixed (long* p = shape) return Wrap(NativeMethods.mm_tensor_expand(Handle, p, shape.Length));
    }

    // ---- indexing ----

    /// <summary>Row <paramref name="index"/> of the first (batch) dimension, as x[i].</summary>
    [System.Runtime.CompilerServices.IndexerName("Row")]
    public Tensor this[long index] => Select(0, index);

    /// <summary>A range of the first (batch) dimension, as x[a:b].</summary>
    [System.Runtime.CompilerServices.IndexerName("Row")]
    public Tensor this[Range range]
    {
        get
        {
            long length = Size(0);
            var (offset, count) = range.GetOffsetAndLength(checked((int)length));
            return Slice(0, offset, offset + count);
        }
    }

    public Tensor Select(long dim, long index) => Wrap(NativeMethods.mm_tensor_select(Handle, dim, index));

    /// <summary>Elements start, start+step, ... (before end) along one dimension; a view.</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) =>
        Wrap(NativeMethods.mm_tensor_slice(Handle, dim, start, end, step));

    public Tensor Narrow(long dim, long start, long length) => Slice(dim, start, start + length);

    /// <summary>Gathers the given indices (an int64 tensor) along one dimension; a copy.</summary>
    public Tensor IndexSelect(long dim, Tensor index) =>
        Wrap(NativeMethods.mm_tensor_index_select(Handle, dim, index.Handle));

    /// <summary>One-hot encoding of an int64 class-index tensor (result int64, last dimension numClasses).</summary>
    public Tensor OneHot(long numClasses) => Wrap(NativeMethods.mm_tensor_one_hot(Handle, numClasses));
}
