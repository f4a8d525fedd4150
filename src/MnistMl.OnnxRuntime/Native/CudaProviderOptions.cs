using System.Runtime.InteropServices;

namespace MnistMl.OnnxRuntime.Native;

/// <summary>OrtCUDAProviderOptions (onnxruntime_c_api.h), the argument of SessionOptionsAppendExecutionProvider_CUDA; defaults as in its C++ constructor.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudaProviderOptions
{
    public int DeviceId;
    public int CudnnConvAlgoSearch;          // OrtCudnnConvAlgoSearchExhaustive = 0
    public nuint GpuMemLimit;                // SIZE_MAX: no limit
    public int ArenaExtendStrategy;          // 0 = kNextPowerOfTwo
    public int DoCopyInDefaultStream;        // 1
    public int HasUserComputeStream;
    public nint UserComputeStream;
    public nint DefaultMemoryArenaCfg;
    public int TunableOpEnable;
    public int TunableOpTuningEnable;
    public int TunableOpMaxTuningDurationMs;

    public static CudaProviderOptions ForDevice(int deviceId) => new()
    {
        DeviceId = deviceId,
        GpuMemLimit = nuint.MaxValue,
        DoCopyInDefaultStream = 1,
    };
}
