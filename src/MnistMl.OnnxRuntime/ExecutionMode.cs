namespace MnistMl.OnnxRuntime;

/// <summary>Whether independent graph nodes run one after the other or in parallel on the inter-op thread pool.</summary>
public enum ExecutionMode
{
    /// <summary>Nodes run one at a time (ONNX Runtime's default); inter-op threads are unused.</summary>
    Sequential = 0,
    /// <summary>Independent nodes run in parallel on <see cref="SessionOptions.InterOpNumThreads"/> threads.</summary>
    Parallel = 1,
}
