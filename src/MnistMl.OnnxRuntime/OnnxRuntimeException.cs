namespace MnistMl.OnnxRuntime;

/// <summary>An error reported by ONNX Runtime (bad model file, failed run, unavailable execution provider); carries ONNX Runtime's message and code.</summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(string message) : this(OnnxRuntimeErrorCode.None, message) { }

    public OnnxRuntimeException(OnnxRuntimeErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException) => ErrorCode = errorCode;

    /// <summary>ONNX Runtime's error code; <see cref="OnnxRuntimeErrorCode.None"/> when the binding raised the error.</summary>
    public OnnxRuntimeErrorCode ErrorCode { get; }
}
