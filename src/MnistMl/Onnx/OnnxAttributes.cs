using Google.Protobuf;
using MnistMl.Onnx.Proto;
using AttributeType = MnistMl.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace MnistMl.Onnx;

/// <summary>Node attributes (ONNX AttributeProto) by type.</summary>
internal static class OnnxAttributes
{
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
