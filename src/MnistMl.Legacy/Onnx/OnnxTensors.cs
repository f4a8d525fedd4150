using System.Runtime.InteropServices;
using Google.Protobuf;
using MnistMl.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Onnx;

/// <summary>TensorProto values (initializers, constants) from managed arrays and libtorch tensors, as little-endian raw_data.</summary>
internal static class OnnxTensors
{
    public static TensorProto Float(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), values.Length, dims);

    public static TensorProto Double(string name, ReadOnlySpan<double> values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Double, MemoryMarshal.AsBytes(values), values.Length, dims);

    public static TensorProto Int64(string name, ReadOnlySpan<long> values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>A float32 libtorch tensor (a parameter or buffer) with its shape.</summary>
    public static TensorProto FromTorch(string name, Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32)
            throw new NotSupportedException($"Tensor '{name}' is {tensor.dtype}; only float32 weights are exported.");
        using var contiguous = tensor.contiguous();
        return Float(name, contiguous.data<float>().ToArray(), tensor.shape);
    }

    private static TensorProto Make(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, int count, long[] dims)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this machine is not.");
        long expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
            throw new ArgumentException($"Tensor '{name}': {count} values do not fill the shape [{string.Join(", ", dims)}].", nameof(dims));
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
