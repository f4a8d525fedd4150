using System.Runtime.InteropServices;

namespace MnistMl.OnnxRuntime.Native;

/// <summary>Keeps a SafeHandle from being released while native code uses its pointer: `using var lease = new HandleLease(handle, owner);`.</summary>
internal ref struct HandleLease
{
    private readonly SafeHandle handle;
    private bool added;

    /// <exception cref="ObjectDisposedException"><paramref name="owner"/> was disposed.</exception>
    public HandleLease(SafeHandle handle, object owner)
    {
        this.handle = handle;
        ObjectDisposedException.ThrowIf(handle.IsClosed, owner);
        try
        {
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(owner.GetType().FullName);
        }
        Pointer = handle.DangerousGetHandle();
    }

    /// <summary>The native pointer, valid until the lease is disposed.</summary>
    public nint Pointer { get; }

    public void Dispose()
    {
        if (added) handle.DangerousRelease();
        added = false;
    }
}
