using System.Runtime.InteropServices;

namespace MnistMl.OnnxRuntime.Native;

/// <summary>
/// ONNX Runtime's C function table (OrtApi), loaded once per process. Each field is a function pointer read
/// from the table at its <see cref="OrtApiIndex"/> position. Pointers to ORT objects are nint; a non-zero
/// OrtStatus* return is an error that <see cref="Check"/> turns into an <see cref="OnnxRuntimeException"/>.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>The OrtApi version this binding was written against: ORT_API_VERSION of ONNX Runtime 1.30.</summary>
    public const uint Version = 30;

    // ONNXType (onnxruntime_c_api.h)
    public const int OnnxTypeTensor = 1;
    // OrtLoggingLevel, OrtAllocatorType, OrtMemType
    public const int LoggingLevelWarning = 2;
    public const int ArenaAllocator = 1;
    public const int MemTypeDefault = 0;

    private static readonly Lock Gate = new();
    private static OrtApi? instance;

    /// <summary>The loaded table; loads the library on first use.</summary>
    /// <exception cref="DllNotFoundException">The library is missing or not loadable.</exception>
    /// <exception cref="OnnxRuntimeException">The library does not provide OrtApi version <see cref="Version"/>.</exception>
    public static OrtApi Instance
    {
        get
        {
            var api = Volatile.Read(ref instance);
            if (api is not null) return api;
            lock (Gate) return instance ??= Load();
        }
    }

    /// <summary>Where the library was loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>ONNX Runtime's version string (OrtApiBase::GetVersionString), e.g. "1.30.0".</summary>
    public string RuntimeVersion { get; }

    public readonly delegate* unmanaged[Cdecl]<nint, int> GetErrorCode;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged[Cdecl]<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionExecutionMode;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged[Cdecl]<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint> GetSymbolicDimensions;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetTensorShapeElementCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetValueType;
    public readonly delegate* unmanaged[Cdecl]<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSession;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseValue;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged[Cdecl]<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged[Cdecl]<nint, CudaProviderOptions*, nint> SessionOptionsAppendExecutionProvider_CUDA;

    private OrtApi(string libraryPath, string runtimeVersion, nint* table)
    {
        LibraryPath = libraryPath;
        RuntimeVersion = runtimeVersion;
        GetErrorCode = (delegate* unmanaged[Cdecl]<nint, int>)table[OrtApiIndex.GetErrorCode];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<nint, byte*>)table[OrtApiIndex.GetErrorMessage];
        CreateEnv = (delegate* unmanaged[Cdecl]<int, byte*, nint*, nint>)table[OrtApiIndex.CreateEnv];
        CreateSession = (delegate* unmanaged[Cdecl]<nint, byte*, nint, nint*, nint>)table[OrtApiIndex.CreateSession];
        CreateSessionFromArray = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint>)table[OrtApiIndex.CreateSessionFromArray];
        Run = (delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)table[OrtApiIndex.Run];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)table[OrtApiIndex.CreateSessionOptions];
        SetSessionExecutionMode = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[OrtApiIndex.SetSessionExecutionMode];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[OrtApiIndex.SetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[OrtApiIndex.SetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)table[OrtApiIndex.SetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[OrtApiIndex.SessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[OrtApiIndex.SessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)table[OrtApiIndex.SessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)table[OrtApiIndex.SessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)table[OrtApiIndex.SessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)table[OrtApiIndex.SessionGetOutputName];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint>)table[OrtApiIndex.CreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<nint, void**, nint>)table[OrtApiIndex.GetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)table[OrtApiIndex.CastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged[Cdecl]<nint, int*, nint>)table[OrtApiIndex.GetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<nint, int*, nint>)table[OrtApiIndex.GetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[OrtApiIndex.GetDimensionsCount];
        GetDimensions = (delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)table[OrtApiIndex.GetDimensions];
        GetSymbolicDimensions = (delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint>)table[OrtApiIndex.GetSymbolicDimensions];
        GetTensorShapeElementCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)table[OrtApiIndex.GetTensorShapeElementCount];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)table[OrtApiIndex.GetTensorTypeAndShape];
        GetValueType = (delegate* unmanaged[Cdecl]<nint, int*, nint>)table[OrtApiIndex.GetValueType];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, nint*, nint>)table[OrtApiIndex.CreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged[Cdecl]<nint, void*, nint>)table[OrtApiIndex.AllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)table[OrtApiIndex.GetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<nint, void>)table[OrtApiIndex.ReleaseEnv];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<nint, void>)table[OrtApiIndex.ReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<nint, void>)table[OrtApiIndex.ReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged[Cdecl]<nint, void>)table[OrtApiIndex.ReleaseSession];
        ReleaseValue = (delegate* unmanaged[Cdecl]<nint, void>)table[OrtApiIndex.ReleaseValue];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<nint, void>)table[OrtApiIndex.ReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<nint, void>)table[OrtApiIndex.ReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<nint, void>)table[OrtApiIndex.ReleaseSessionOptions];
        GetAvailableProviders = (delegate* unmanaged[Cdecl]<byte***, int*, nint>)table[OrtApiIndex.GetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged[Cdecl]<byte**, int, nint>)table[OrtApiIndex.ReleaseAvailableProviders];
        SessionOptionsAppendExecutionProvider_CUDA = (delegate* unmanaged[Cdecl]<nint, CudaProviderOptions*, nint>)table[OrtApiIndex.SessionOptionsAppendExecutionProvider_CUDA];
    }

    private static OrtApi Load()
    {
        var path = OrtLibrary.Locate();
        var library = OrtLibrary.Load(path);
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
            throw new OnnxRuntimeException($"'{path}' does not export OrtGetApiBase: it is not ONNX Runtime. Set {OrtLibrary.PathVariable} to libonnxruntime.so.1.");

        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
        var apiBase = ((delegate* unmanaged[Cdecl]<nint*>)getApiBase)();
        var getApi = (delegate* unmanaged[Cdecl]<uint, nint*>)apiBase[0];
        var getVersionString = (delegate* unmanaged[Cdecl]<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((nint)getVersionString()) ?? "unknown";
        var table = getApi(Version);
        if (table is null)
            throw new OnnxRuntimeException(
                $"ONNX Runtime {version} at '{path}' does not provide C API version {Version}, which MnistMl.OnnxRuntime was written against (ONNX Runtime 1.30). " +
                $"Use ONNX Runtime 1.30 or newer: run scripts/setup.sh, or set {OrtLibrary.PathVariable}.");
        return new OrtApi(path, version, table);
    }

    /// <summary>Throws the error in <paramref name="status"/>, if any, prefixed with <paramref name="context"/>; releases the status.</summary>
    public void Check(nint status, string context)
    {
        if (status != 0) throw ToException(status, context);
    }

    /// <summary>The exception for a non-null OrtStatus*: ORT's code and message after <paramref name="context"/>. Releases the status.</summary>
    public OnnxRuntimeException ToException(nint status, string context)
    {
        var code = (OnnxRuntimeErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status))?.Trim();
        ReleaseStatus(status);
        return new OnnxRuntimeException(code, string.IsNullOrEmpty(message) ? $"{context} (ONNX Runtime error {code})." : $"{context}: {message}");
    }

    /// <summary>Releases a status without reading it (for clean-up paths that already report another error).</summary>
    public void Ignore(nint status)
    {
        if (status != 0) ReleaseStatus(status);
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/>, on the pinned object heap so that its address stays valid.</summary>
    public static byte[] PinnedUtf8(string text)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(text);
        var bytes = GC.AllocateArray<byte>(count + 1, pinned: true);
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
