using System.Runtime.InteropServices;
using MnistMl.OnnxRuntime.Native;

namespace MnistMl.OnnxRuntime;

/// <summary>
/// ONNX Runtime's process-wide environment (OrtEnv): created on first use with log level warning, shared by every
/// session, and kept for the life of the process (ONNX Runtime warns against releasing it while its threads or
/// sessions may still run, and releasing it at exit gains nothing).
/// </summary>
public sealed unsafe class OrtEnvironment
{
    private static readonly Lock Gate = new();
    private static OrtEnvironment? instance;

    private OrtEnvironment(OrtApi api)
    {
        Api = api;
        nint env, memoryInfo, allocator;
        fixed (byte* logId = "MnistMl"u8)
            api.Check(api.CreateEnv(OrtApi.LoggingLevelWarning, logId, &env), "Creating the ONNX Runtime environment failed");
        Handle = env;
        api.Check(api.CreateCpuMemoryInfo(OrtApi.ArenaAllocator, OrtApi.MemTypeDefault, &memoryInfo), "Creating ONNX Runtime's CPU memory info failed");
        CpuMemoryInfo = memoryInfo;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator), "Getting ONNX Runtime's default allocator failed");
        DefaultAllocator = allocator;
        AvailableProviders = ReadAvailableProviders(api);
    }

    /// <summary>The environment, created on first use.</summary>
    /// <exception cref="DllNotFoundException">libonnxruntime.so.1 is missing (see <see cref="LibraryVariable"/>).</exception>
    /// <exception cref="OnnxRuntimeException">The library is not ONNX Runtime 1.30 or newer, or the environment could not be created.</exception>
    public static OrtEnvironment Instance
    {
        get
        {
            var environment = Volatile.Read(ref instance);
            if (environment is not null) return environment;
            lock (Gate) return instance ??= new OrtEnvironment(OrtApi.Instance);
        }
    }

    /// <summary>The environment variable that overrides where libonnxruntime.so.1 is loaded from.</summary>
    public const string LibraryVariable = OrtLibrary.PathVariable;

    /// <summary>The C API version this binding asks ONNX Runtime for (ORT_API_VERSION of ONNX Runtime 1.30).</summary>
    public static uint ApiVersion => OrtApi.Version;

    /// <summary>ONNX Runtime's version, e.g. "1.30.0".</summary>
    public string Version => Api.RuntimeVersion;

    /// <summary>The path libonnxruntime.so.1 was loaded from.</summary>
    public string LibraryPath => Api.LibraryPath;

    /// <summary>The execution providers compiled into this ONNX Runtime build (GetAvailableProviders); being listed does not mean a provider's shared library or device is present.</summary>
    public IReadOnlyList<string> AvailableProviders { get; }

    internal OrtApi Api { get; }
    internal nint Handle { get; }
    internal nint CpuMemoryInfo { get; }
    internal nint DefaultAllocator { get; }

    private static string[] ReadAvailableProviders(OrtApi api)
    {
        byte** names;
        int count;
        api.Check(api.GetAvailableProviders(&names, &count), "Listing ONNX Runtime's execution providers failed");
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++) result[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? "";
            return result;
        }
        finally
        {
            api.Ignore(api.ReleaseAvailableProviders(names, count));
        }
    }
}
