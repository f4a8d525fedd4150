using System.Runtime.InteropServices;

namespace MnistMl.OnnxRuntime.Native;

/// <summary>Owns one OrtSessionOptions*.</summary>
internal sealed class SessionOptionsHandle : SafeHandle
{
    public SessionOptionsHandle(nint handle) : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override unsafe bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSessionOptions(handle);
        return true;
    }
}
