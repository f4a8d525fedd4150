using System.Runtime.InteropServices;
using MnistMl.Torch.Native;

namespace MnistMl.Torch;

/// <summary>
/// Tensor factories and engine settings, as PyTorch's (and TorchSharp's) <c>torch</c> module. Lower-case on
/// purpose: it reads like PyTorch, and it cannot be confused with the MnistMl.Torch namespace inside MnistMl code.
/// </summary>
#pragma warning disable CS8981 // lower-case type name, deliberately
public static class torch
#pragma warning restore CS8981
{
    /// <summary>The libtorch version the shim was compiled against.</summary>
    public static string Version => Marshal.PtrToStringUTF8(NativeMethods.mm_torch_version()) ?? "";

    /// <summary>Seeds libtorch's generator: initialization, dropout masks, RandPerm and sampling repeat run to run.</summary>
    public static void ManualSeed(ulong seed) => Tensor.Check(NativeMethods.mm_manual_seed(seed));

    /// <summary>
    /// Intra-op threads libtorch uses for one operation (process-wide). Defaults to 1, the fastest on the 2-core
    /// machines measured (see the README), unless the OMP_NUM_THREADS environment variable is set.
    /// </summary>
    public static int NumThreads
    {
        get => NativeMethods.mm_get_num_threads();
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(NumThreads), value, "The thread count must be at least 1.");
            Tensor.Check(NativeMethods.mm_set_num_threads(value), nameof(NumThreads));
        }
    }

    /// <summary>
    /// Tensor handles alive in the process (created, not yet disposed or finalized): a leak detector for loops,
    /// which should end every iteration with the count they started with.
    /// </summary>
    public static long LiveTensorCount => TensorHandle.Live;

    /// <summary>Opens a scope that frees every tensor created inside it when disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables gradient recording on this thread until disposed (torch.no_grad()).</summary>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Enables gradient recording on this thread until disposed (torch.enable_grad()).</summary>
    public static GradModeScope EnableGrad() => new(enabled: true);

    public static bool IsGradEnabled => NativeMethods.mm_is_grad_enabled() != 0;

    // ---- creation ----

    /// <summary>A tensor with a copy of <paramref name="data"/> laid out row-major in <paramref name="shape"/> (default: 1-D).</summary>
    public static unsafe Tensor FromArray<T>(ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        if (shape.Length == 0) shape = [data.Length];
        long count = 1;
        foreach (var size in shape)
        {
            if (size < 0) throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has a negative size.", nameof(shape));
            count *= size;
        }
        if (count != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} elements but {data.Length} were given.", nameof(shape));
        fixed (T* d = data)
        fixed (long* s = shape)
            return Tensor.Wrap(NativeMethods.mm_tensor_from_data(d, (sbyte)ScalarTypes.Of<T>(), s, shape.Length));
    }

    /// <summary>A tensor of <paramref name="dtype"/> from raw row-major element bytes.</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, ScalarType dtype, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count * dtype.ElementSize() != bytes.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] of {dtype} needs {count * dtype.ElementSize()} bytes but {bytes.Length} were given.", nameof(bytes));
        fixed (byte* d = bytes)
        fixed (long* s = shape)
            return Tensor.Wrap(NativeMethods.mm_tensor_from_data(d, (sbyte)dtype, s, shape.Length));
    }

    public static Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged => FromArray((ReadOnlySpan<T>)data, shape);

    /// <summary>A 0-d tensor holding one value.</summary>
    public static Tensor Scalar(double value, ScalarType dtype = ScalarType.Float32) => Full([], value, dtype);

    public static unsafe Tensor Empty(long[] shape, ScalarType dtype = ScalarType.Float32)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.mm_tensor_empty(s, shape.Length, (sbyte)dtype));
    }

    public static unsafe Tensor Full(long[] shape, double value, ScalarType dtype = ScalarType.Float32)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.mm_tensor_full(s, shape.Length, (sbyte)dtype, value));
    }

    public static Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32) => Full(shape, 0, dtype);
    public static Tensor Zeros(params long[] shape) => Full(shape, 0);
    public static Tensor Ones(long[] shape, ScalarType dtype = ScalarType.Float32) => Full(shape, 1, dtype);
    public static Tensor Ones(params long[] shape) => Full(shape, 1);
    public static Tensor ZerosLike(Tensor like) => Full(like.Shape, 0, like.Dtype);
    public static Tensor OnesLike(Tensor like) => Full(like.Shape, 1, like.Dtype);
    public static Tensor FullLike(Tensor like, double value) => Full(like.Shape, value, like.Dtype);

    /// <summary>Samples of U[0, 1).</summary>
    public static unsafe Tensor Rand(long[] shape, ScalarType dtype = ScalarType.Float32)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.mm_tensor_rand(s, shape.Length, (sbyte)dtype));
    }

    /// <summary>Samples of N(0, 1).</summary>
    public static unsafe Tensor Randn(long[] shape, ScalarType dtype = ScalarType.Float32)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.mm_tensor_randn(s, shape.Length, (sbyte)dtype));
    }

    /// <summary>Integers uniformly drawn from [low, high), int64.</summary>
    public static unsafe Tensor RandInt(long low, long high, params long[] shape)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.mm_tensor_randint(low, high, s, shape.Length));
    }

    /// <summary>A random permutation of 0..n-1 (int64) from the seeded generator.</summary>
    public static Tensor RandPerm(long n) => Tensor.Wrap(NativeMethods.mm_tensor_randperm(n));

    public static Tensor Arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64) =>
        Tensor.Wrap(NativeMethods.mm_tensor_arange(start, end, step, (sbyte)dtype));

    // ---- combining ----

    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: false);

    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: true);

    private static unsafe Tensor Combine(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        if (tensors.Count == 0) throw new ArgumentException("At least one tensor is needed.", nameof(tensors));
        var handles = new IntPtr[tensors.Count];
        for (int i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle.DangerousGetHandle();
        fixed (IntPtr* h = handles)
        {
            var result = stack
                ? Tensor.Wrap(NativeMethods.mm_tensor_stack(h, handles.Length, dim), "Stack")
                : Tensor.Wrap(NativeMethods.mm_tensor_cat(h, handles.Length, dim), "Cat");
            GC.KeepAlive(tensors); // the raw handles stay valid while the list holds the tensors
            return result;
        }
    }

    /// <summary>Elements of <paramref name="a"/> where <paramref name="condition"/> holds, else of <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) =>
        Tensor.Wrap(NativeMethods.mm_where(condition.Handle, a.Handle, b.Handle));
}

/// <summary>Restores the previous gradient mode when disposed; see <see cref="torch.NoGrad"/>.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool previous;

    internal GradModeScope(bool enabled) => previous = NativeMethods.mm_set_grad_enabled(enabled ? 1 : 0) != 0;

    public void Dispose() => NativeMethods.mm_set_grad_enabled(previous ? 1 : 0);
}
