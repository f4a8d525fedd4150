namespace MnistMl.Torch;

/// <summary>An error reported by libtorch (shape or dtype mismatch, bad argument); carries libtorch's message.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    internal static TorchException FromLastError(string operation)
    {
        var message = Native.NativeMethods.LastError();
        return new TorchException(string.IsNullOrWhiteSpace(message) ? $"{operation} failed in libtorch." : $"{operation}: {message.Trim()}");
    }
}
