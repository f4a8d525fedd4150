using System.Runtime.InteropServices;

namespace MnistMl.OnnxRuntime.Native;

/// <summary>Owns one OrtSession*. A SafeHandle so that a session in use by Run is never released underneath it, whichever thread disposes or finalizes it.</summary>
internal sealed class SessionHandle : SafeHandle
{
    public SessionHandle(nint handle) : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSession(handle);
        return true;
    }
}
