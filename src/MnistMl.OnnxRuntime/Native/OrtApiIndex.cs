namespace MnistMl.OnnxRuntime.Native;

/// <summary>
/// Positions in ONNX Runtime's OrtApi function table of the functions this binding calls. OrtApi is
/// `struct OrtApi` in include/onnxruntime/core/session/onnxruntime_c_api.h (microsoft/onnxruntime): a
/// struct of function pointers, in declaration order, that only ever grows at its end, so a position
/// never changes once released. Counted from the ORT_API_VERSION 29 header (the ORT 1.30 header, API 30,
/// only appends); ONNX Runtime's own static_asserts in onnxruntime_c_api.cc pin ReleaseCustomOpDomain = 101,
/// ReleaseModelMetadata = 118, AddFreeDimensionOverrideByName = 124, ReleaseAvailableProviders = 126,
/// SetGlobalSpinControl = 149 and ReleaseArenaCfg = 157, which agree with this count.
/// </summary>
internal static class OrtApiIndex
{
    public const int GetErrorCode = 1;
    public const int GetErrorMessage = 2;
    public const int CreateEnv = 3;
    public const int CreateSession = 7;
    public const int CreateSessionFromArray = 8;
    public const int Run = 9;
    public const int CreateSessionOptions = 10;
    public const int SetSessionExecutionMode = 13;
    public const int SetSessionGraphOptimizationLevel = 23;
    public const int SetIntraOpNumThreads = 24;
    public const int SetInterOpNumThreads = 25;
    public const int SessionGetInputCount = 30;
    public const int SessionGetOutputCount = 31;
    public const int SessionGetInputTypeInfo = 33;
    public const int SessionGetOutputTypeInfo = 34;
    public const int SessionGetInputName = 36;
    public const int SessionGetOutputName = 37;
    public const int CreateTensorWithDataAsOrtValue = 49;
    public const int GetTensorMutableData = 51;
    public const int CastTypeInfoToTensorInfo = 55;
    public const int GetOnnxTypeFromTypeInfo = 56;
    public const int GetTensorElementType = 60;
    public const int GetDimensionsCount = 61;
    public const int GetDimensions = 62;
    public const int GetSymbolicDimensions = 63;
    public const int GetTensorShapeElementCount = 64;
    public const int GetTensorTypeAndShape = 65;
    public const int GetValueType = 67;
    public const int CreateCpuMemoryInfo = 69;
    public const int AllocatorFree = 76;
    public const int GetAllocatorWithDefaultOptions = 78;
    public const int ReleaseEnv = 92;
    public const int ReleaseStatus = 93;
    public const int ReleaseMemoryInfo = 94;
    public const int ReleaseSession = 95;
    public const int ReleaseValue = 96;
    public const int ReleaseTypeInfo = 98;
    public const int ReleaseTensorTypeAndShapeInfo = 99;
    public const int ReleaseSessionOptions = 100;
    public const int GetAvailableProviders = 125;
    public const int ReleaseAvailableProviders = 126;
    public const int SessionOptionsAppendExecutionProvider_CUDA = 152;
}
