using MnistMl.Torch.Native;

namespace MnistMl.Torch;

public sealed partial class Tensor
{
    private unsafe Tensor Reduce(ReduceOp op, long[] dims, bool keepDim, bool unbiased = true)
    {
        fixed (long* p = dims)
            return Wrap(NativeMethods.mm_reduce(Handle, op, p, dims.Length, keepDim ? 1 : 0, unbiased ? 1 : 0), op.ToString());
    }

    /// <summary>Sum of all elements (a 0-d tensor).</summary>
    public Tensor Sum() => Reduce(ReduceOp.Sum, [], false);
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    public Tensor Sum(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);

    public Tensor Mean() => Reduce(ReduceOp.Mean, [], false);
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    public Tensor Mean(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);

    public Tensor Prod() => Reduce(ReduceOp.Prod, [], false);

    /// <summary>Variance (Bessel-corrected unless <paramref name="unbiased"/> is false).</summary>
    public Tensor Var(bool unbiased = true) => Reduce(ReduceOp.Var, [], false, unbiased);
    public Tensor Var(long[] dims, bool unbiased = true, bool keepDim = false) => Reduce(ReduceOp.Var, dims, keepDim, unbiased);
    public Tensor Std(bool unbiased = true) => Reduce(ReduceOp.Std, [], false, unbiased);
    public Tensor Std(long[] dims, bool unbiased = true, bool keepDim = false) => Reduce(ReduceOp.Std, dims, keepDim, unbiased);

    /// <summary>Largest element (a 0-d tensor).</summary>
    public Tensor Max() => Reduce(ReduceOp.Amax, [], false);
    public Tensor Min() => Reduce(ReduceOp.Amin, [], false);

    /// <summary>Largest values along a dimension and their indices, as torch.max(x, dim).</summary>
    public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false) => MaxMin(dim, keepDim, largest: true);
    public (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false) => MaxMin(dim, keepDim, largest: false);

    private (Tensor, Tensor) MaxMin(long dim, bool keepDim, bool largest)
    {
        Check(NativeMethods.mm_max_min_dim(Handle, dim, keepDim ? 1 : 0, largest ? 1 : 0, out var values, out var indices), largest ? "Max" : "Min");
        return (Wrap(values), Wrap(indices));
    }

    /// <summary>Index of the largest element of the flattened tensor.</summary>
    public Tensor Argmax() => Wrap(NativeMethods.mm_argmax(Handle, 0, 0, 0));
    public Tensor Argmax(long dim, bool keepDim = false) => Wrap(NativeMethods.mm_argmax(Handle, dim, 1, keepDim ? 1 : 0));
    public Tensor Argmin(long dim, bool keepDim = false) => Wrap(NativeMethods.mm_argmin(Handle, dim, 1, keepDim ? 1 : 0));

    /// <summary>The k largest (or smallest) values along a dimension, sorted, with their indices.</summary>
    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true)
    {
        Check(NativeMethods.mm_topk(Handle, k, dim, largest ? 1 : 0, out var values, out var indices));
        return (Wrap(values), Wrap(indices));
    }

    /// <summary>The p-norm of all elements (2: Euclidean).</summary>
    public Tensor Norm(double p = 2) => Wrap(NativeMethods.mm_norm(Handle, p));
}
