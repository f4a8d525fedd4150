using Microsoft.ML.OnnxRuntime;

namespace MnistMl.Transfer;

/// <summary>
/// Whether ONNX Runtime can run on a CUDA device here, asked before ML.NET builds its transformer so that a missing
/// GPU build or CUDA gives one clear message instead of ONNX Runtime's.
/// </summary>
public static class CudaCheck
{
    public const string Remedy = "The CUDA build of ONNX Runtime is the Microsoft.ML.OnnxRuntime.Gpu.Linux package (build MnistMl with " +
        "-p:MnistMlOnnxRuntimeGpu=true); it needs an NVIDIA driver, CUDA 13 and cuDNN 9. Or pass fallbackToCpu: true to run on the CPU where CUDA is missing.";

    /// <summary>
    /// The device to hand to ML.NET's ApplyOnnxModel: <paramref name="deviceId"/> when <paramref name="model"/> opens on it;
    /// null (the CPU) when it does not and <paramref name="fallbackToCpu"/> is set — ML.NET's own fallback misses the
    /// CPU build, which lacks the CUDA entry point altogether; else an error that says why and what to install.
    /// </summary>
    public static int? Resolve(int? deviceId, bool fallbackToCpu, byte[] model, string who)
    {
        if (deviceId is not { } device) return null;
        ArgumentOutOfRangeException.ThrowIfNegative(device, "gpuDeviceId");
        try
        {
            using var options = SessionOptions.MakeSessionOptionWithCudaProvider(device);
            using var session = new InferenceSession(model, options);
            return device;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            if (fallbackToCpu) return null;
            throw new InvalidOperationException($"{who}: ONNX Runtime cannot run on CUDA device {device} here ({e.Message.Trim()}). {Remedy}", e);
        }
    }
}
