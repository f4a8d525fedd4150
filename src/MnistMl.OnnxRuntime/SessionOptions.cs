using MnistMl.OnnxRuntime.Native;

namespace MnistMl.OnnxRuntime;

/// <summary>
/// How an <see cref="InferenceSession"/> is built (OrtSessionOptions): thread pools, graph optimization, execution
/// providers. Settings apply to sessions created afterwards; a session keeps its own copy, so the options can be
/// disposed once the sessions are created.
/// </summary>
public sealed unsafe class SessionOptions : IDisposable
{
    private readonly SessionOptionsHandle handle;
    private readonly List<string> providers = [ExecutionProvider.Cpu];
    private readonly List<string> providerNotes = [];
    private int intraOpNumThreads;
    private int interOpNumThreads;
    private GraphOptimizationLevel graphOptimizationLevel = GraphOptimizationLevel.All;
    private ExecutionMode executionMode = ExecutionMode.Sequential;

    public SessionOptions()
    {
        var api = OrtEnvironment.Instance.Api;
        nint options;
        api.Check(api.CreateSessionOptions(&options), "Creating ONNX Runtime session options failed");
        handle = new SessionOptionsHandle(options);
    }

    /// <summary>Threads that run one operator (matrix products…); 0, the default, lets ONNX Runtime pick (one per physical core).</summary>
    public int IntraOpNumThreads
    {
        get => intraOpNumThreads;
        set => intraOpNumThreads = Set(value, OrtEnvironment.Instance.Api.SetIntraOpNumThreads, nameof(IntraOpNumThreads));
    }

    /// <summary>Threads that run independent operators at once when <see cref="ExecutionMode"/> is Parallel; 0, the default, lets ONNX Runtime pick.</summary>
    public int InterOpNumThreads
    {
        get => interOpNumThreads;
        set => interOpNumThreads = Set(value, OrtEnvironment.Instance.Api.SetInterOpNumThreads, nameof(InterOpNumThreads));
    }

    /// <summary>How much the graph is optimized before it runs; <see cref="GraphOptimizationLevel.All"/> by default.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel
    {
        get => graphOptimizationLevel;
        set
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown graph optimization level.");
            var api = OrtEnvironment.Instance.Api;
            using var lease = new HandleLease(handle, this);
            api.Check(api.SetSessionGraphOptimizationLevel(lease.Pointer, (int)value), $"Setting the graph optimization level to {value} failed");
            graphOptimizationLevel = value;
        }
    }

    /// <summary>Whether independent nodes run sequentially (default) or in parallel.</summary>
    public ExecutionMode ExecutionMode
    {
        get => executionMode;
        set
        {
            if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown execution mode.");
            var api = OrtEnvironment.Instance.Api;
            using var lease = new HandleLease(handle, this);
            api.Check(api.SetSessionExecutionMode(lease.Pointer, (int)value), $"Setting the execution mode to {value} failed");
            executionMode = value;
        }
    }

    /// <summary>The execution providers sessions will use, in priority order; the CPU provider is always last.</summary>
    public IReadOnlyList<string> ExecutionProviders => providers.AsReadOnly();

    /// <summary>Why a requested provider is not in <see cref="ExecutionProviders"/> (a CUDA request that fell back to the CPU).</summary>
    public IReadOnlyList<string> ProviderNotes => providerNotes.AsReadOnly();

    /// <summary>
    /// Asks for the CUDA execution provider on GPU <paramref name="deviceId"/>, ahead of the CPU. The onnxruntime-node
    /// build has no CUDA provider library, so there this fails: with <paramref name="fallbackToCpu"/> false it throws;
    /// with it true it records the reason in <see cref="ProviderNotes"/> and sessions run on the CPU.
    /// </summary>
    /// <returns>True when CUDA was added; false when the request fell back to the CPU.</returns>
    /// <exception cref="OnnxRuntimeException">The CUDA provider is unavailable and <paramref name="fallbackToCpu"/> is false.</exception>
    public bool AppendCudaExecutionProvider(int deviceId = 0, bool fallbackToCpu = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        var api = OrtEnvironment.Instance.Api;
        using var lease = new HandleLease(handle, this);
        if (providers.Contains(ExecutionProvider.Cuda)) return true;
        var cuda = CudaProviderOptions.ForDevice(deviceId);
        var status = api.SessionOptionsAppendExecutionProvider_CUDA(lease.Pointer, &cuda);
        if (status == 0)
        {
            providers.Insert(providers.Count - 1, ExecutionProvider.Cuda);
            return true;
        }

        var error = api.ToException(status, $"The CUDA execution provider is unavailable in ONNX Runtime {OrtEnvironment.Instance.Version} ({OrtEnvironment.Instance.LibraryPath})");
        var reason = Sentence(error.Message) + MissingProviderLibraries();
        if (!fallbackToCpu)
            throw new OnnxRuntimeException(error.ErrorCode, $"{reason} Ask with fallbackToCpu: true to run on the CPU instead.");
        providerNotes.Add($"CUDA device {deviceId} was requested, but sessions run on the CPU. {reason}");
        return false;
    }

    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";

    /// <summary>Names the provider libraries ONNX Runtime needs for CUDA that are not next to libonnxruntime.so.1 (the onnxruntime-node package ships neither).</summary>
    private static string MissingProviderLibraries()
    {
        var directory = Path.GetDirectoryName(OrtEnvironment.Instance.LibraryPath) ?? "";
        var missing = new[] { "libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so" }
            .Where(name => !File.Exists(Path.Combine(directory, name))).ToArray();
        return missing.Length == 0 ? "" : $" {string.Join(" and ", missing)} {(missing.Length > 1 ? "are" : "is")} not in {directory}.";
    }

    internal HandleLease Lease() => new(handle, this);

    private int Set(int value, delegate* unmanaged[Cdecl]<nint, int, nint> setter, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        using var lease = new HandleLease(handle, this);
        OrtEnvironment.Instance.Api.Check(setter(lease.Pointer, value), $"Setting {name} to {value} failed");
        return value;
    }

    public void Dispose() => handle.Dispose();
}
