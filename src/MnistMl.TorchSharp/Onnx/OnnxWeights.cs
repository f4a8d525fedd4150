using static TorchSharp.torch;

namespace MnistMl.Onnx;

/// <summary>libtorch parameters and buffers as ONNX initializers.</summary>
internal static class OnnxWeights
{
    /// <summary>A float32 parameter or buffer as an initializer under its state_dict name.</summary>
    public static string Weight(this OnnxGraphBuilder g, string name, Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32)
            throw new NotSupportedException($"Tensor '{name}' is {tensor.dtype}; only float32 weights are exported.");
        using var contiguous = tensor.contiguous();
        return g.Add(OnnxTensors.Float(g.ExactName(name), contiguous.data<float>().ToArray(), tensor.shape));
    }
}
