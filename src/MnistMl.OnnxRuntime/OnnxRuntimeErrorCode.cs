namespace MnistMl.OnnxRuntime;

/// <summary>ONNX Runtime's error codes (OrtErrorCode in onnxruntime_error_code.h), plus <see cref="None"/> for errors raised by this binding.</summary>
public enum OnnxRuntimeErrorCode
{
    /// <summary>Raised by the binding itself, not by ONNX Runtime.</summary>
    None = -1,
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    ExecutionProviderFailure = 11,
    ModelLoadCanceled = 12,
    ModelRequiresCompilation = 13,
    NotFound = 14,
    DeviceReset = 15,
}
