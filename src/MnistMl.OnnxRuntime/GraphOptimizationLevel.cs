namespace MnistMl.OnnxRuntime;

/// <summary>How much ONNX Runtime rewrites the graph before running it (GraphOptimizationLevel in the C API).</summary>
public enum GraphOptimizationLevel
{
    /// <summary>No graph optimization.</summary>
    Disabled = 0,
    /// <summary>Semantics-preserving rewrites: constant folding, redundant node removal.</summary>
    Basic = 1,
    /// <summary>Basic plus node fusions.</summary>
    Extended = 2,
    /// <summary>Extended plus layout optimizations.</summary>
    Layout = 3,
    /// <summary>Every optimization (ONNX Runtime's default).</summary>
    All = 99,
}
