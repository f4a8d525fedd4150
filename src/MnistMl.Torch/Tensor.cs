using System.Runtime.CompilerServices;
using MnistMl.Torch.Native;

namespace MnistMl.Torch;

/// <summary>
/// A libtorch tensor (float32, float64, int64, int32, uint8, bool). Owns one native handle:
/// dispose it, or create it inside a <see cref="DisposeScope"/>, to free native memory deterministically.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    private Tensor(IntPtr nativeHandle)
    {
        handle = new TensorHandle(nativeHandle);
        DisposeScope.Current?.Register(this);
    }

    /// <summary>Wraps a handle returned by the shim; a null handle means the call failed, so the recorded libtorch error is thrown.</summary>
    internal static Tensor Wrap(IntPtr nativeHandle, [CallerMemberName] string operation = "")
    {
        if (nativeHandle == IntPtr.Zero) throw TorchException.FromLastError(operation);
        return new Tensor(nativeHandle);
    }

    internal static void Check(int status, [CallerMemberName] string operation = "")
    {
        if (status != 0) throw TorchException.FromLastError(operation);
    }

    internal TensorHandle Handle => handle.IsClosed
        ? throw new ObjectDisposedException(nameof(Tensor), "This tensor has been disposed (directly or by the DisposeScope that owned it).")
        : handle;

    internal static TensorHandle HandleOrNull(Tensor? tensor) => tensor is null ? TensorHandle.Null : tensor.Handle;

    internal DisposeScope? OwningScope { get; set; }

    public bool IsDisposed => handle.IsClosed;

    public void Dispose() => handle.Dispose();

    /// <summary>Hands this tensor to the scope enclosing its current one (or to nobody), so it survives the current scope.</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var outer = OwningScope?.Outer;
        OwningScope = null;
        outer?.Register(this);
        return this;
    }

    /// <summary>Removes this tensor from every scope; the caller disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        OwningScope = null;
        return this;
    }

    // ---- properties ----

    public ScalarType Dtype => (ScalarType)NativeMethods.mm_tensor_dtype(Handle);

    public int Dim => NativeMethods.mm_tensor_ndim(Handle);

    public long NumberOfElements => NativeMethods.mm_tensor_numel(Handle);

    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[Dim];
            fixed (long* p = shape) NativeMethods.mm_tensor_shape(Handle, p);
            return shape;
        }
    }

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? dim + shape.Length : dim];
    }

    public bool IsContiguous => NativeMethods.mm_tensor_is_contiguous(Handle) != 0;

    // ---- data ----

    /// <summary>Copies the elements (row-major) into <paramref name="destination"/>, whose element type must match <see cref="Dtype"/>.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        EnsureElementType<T>();
        long count = NumberOfElements;
        if (destination.Length != count)
            throw new ArgumentException($"The destination holds {destination.Length} elements; the tensor has {count}.", nameof(destination));
        fixed (T* p = destination)
            Check(NativeMethods.mm_tensor_copy_to(Handle, p, count * sizeof(T)));
    }

    /// <summary>Copies the raw element bytes (row-major, native endianness) whatever the dtype.</summary>
    public unsafe void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* p = destination)
            Check(NativeMethods.mm_tensor_copy_to(Handle, p, destination.Length));
    }

    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[NumberOfElements];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>
    /// A view of the elements without copying; valid only while this tensor lives and is contiguous.
    /// </summary>
    public unsafe ReadOnlySpan<T> AsReadOnlySpan<T>() where T : unmanaged
    {
        EnsureElementType<T>();
        if (!IsContiguous) throw new InvalidOperationException("AsReadOnlySpan needs a contiguous tensor; call Contiguous() first.");
        return new ReadOnlySpan<T>(NativeMethods.mm_tensor_data_ptr(Handle), checked((int)NumberOfElements));
    }

    /// <summary>The value of a one-element tensor (PyTorch's item()).</summary>
    public double Item()
    {
        Check(NativeMethods.mm_tensor_item(Handle, out var value));
        return value;
    }

    public T Item<T>() where T : unmanaged
    {
        double value = Item();
        return typeof(T) == typeof(bool) ? (T)(object)(value != 0) : (T)Convert.ChangeType(value, typeof(T));
    }

    private void EnsureElementType<T>() where T : unmanaged
    {
        var expected = ScalarTypes.Of<T>();
        var actual = Dtype;
        if (expected != actual)
            throw new InvalidOperationException($"The tensor holds {actual} elements, not {typeof(T).Name} ({expected}); convert with To(ScalarType.{expected}).");
    }

    public Tensor To(ScalarType dtype) => Wrap(NativeMethods.mm_tensor_to_dtype(Handle, (sbyte)dtype));

    public Tensor Clone() => Wrap(NativeMethods.mm_tensor_clone(Handle));

    public Tensor Contiguous() => Wrap(NativeMethods.mm_tensor_contiguous(Handle));

    /// <summary>A second handle to the same tensor (same storage, same autograd identity).</summary>
    public Tensor Alias() => Wrap(NativeMethods.mm_tensor_alias(Handle));

    public override string ToString()
    {
        if (IsDisposed) return "Tensor (disposed)";
        return $"Tensor [{string.Join(", ", Shape)}], {Dtype}{(RequiresGrad ? ", requires_grad" : "")}";
    }
}
