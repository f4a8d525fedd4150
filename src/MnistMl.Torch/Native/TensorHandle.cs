using System.Runtime.InteropServices;

namespace MnistMl.Torch.Native;

/// <summary>
/// Owns one native at::Tensor handle. A SafeHandle so that a handle in use by a native call
/// is never freed underneath it, whichever thread disposes or finalizes the tensor.
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>The null handle, passed for optional tensors (no bias, no weight).</summary>
    public static readonly TensorHandle Null = new(IntPtr.Zero, ownsHandle: false);

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    private static long live;

    public TensorHandle(IntPtr handle, bool ownsHandle = true) : base(IntPtr.Zero, ownsHandle)
    {
        SetHandle(handle);
        if (ownsHandle && handle != IntPtr.Zero) Interlocked.Increment(ref live);
    }

    /// <summary>Native tensor handles created and not yet freed, process-wide.</summary>
    public static long Live => Interlocked.Read(ref live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Interlocked.Decrement(ref live);
        NativeMethods.mm_tensor_free(handle);
        return true;
    }
}
