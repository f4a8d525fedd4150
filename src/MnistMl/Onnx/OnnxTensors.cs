using System.Runtime.InteropServices;
using Google.Protobuf;
using MnistMl.Onnx.Proto;

namespace MnistMl.Onnx;

/// <summary>TensorProto values (initializers, constants) from managed arrays and strings, as little-endian raw_data.</summary>
internal static class OnnxTensors
{
    public static TensorProto Float(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), values.Length, dims);

    public static TensorProto Double(string name, ReadOnlySpan<double> values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Double, MemoryMarshal.AsBytes(values), values.Length, dims);

    public static TensorProto Int64(string name, ReadOnlySpan<long> values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>A string tensor [count] (UTF-8, in string_data).</summary>
    public static TensorProto String(string name, IReadOnlyList<string> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.String };
        tensor.Dims.Add(values.Count);
        tensor.StringData.AddRange(values.Select(ByteString.CopyFromUtf8));
        return tensor;
    }

    /// <summary>The values of a float32 tensor (raw_data or float_data); an error names it otherwise.</summary>
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"Tensor '{tensor.Name}' is of ONNX element type {tensor.DataType}, not float32.");
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new InvalidDataException($"Tensor '{tensor.Name}' keeps its data in an external file, which is not read here.");
        long count = tensor.Dims.Aggregate(1L, (a, b) => a * b);
        float[] values;
        if (!tensor.RawData.IsEmpty)
        {
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this machine is not.");
            values = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        }
        else values = tensor.FloatData.ToArray();
        if (values.Length != count)
            throw new InvalidDataException($"Tensor '{tensor.Name}' holds {values.Length} values for its shape [{string.Join(", ", tensor.Dims)}].");
        return values;
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
