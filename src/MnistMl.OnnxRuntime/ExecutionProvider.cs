namespace MnistMl.OnnxRuntime;

/// <summary>ONNX Runtime's names of the execution providers this binding knows.</summary>
public static class ExecutionProvider
{
    /// <summary>The CPU provider, always present and always last in a session's provider list.</summary>
    public const string Cpu = "CPUExecutionProvider";

    /// <summary>The CUDA provider (NVIDIA GPUs); not part of the onnxruntime-node package's Linux build.</summary>
    public const string Cuda = "CUDAExecutionProvider";
}
