using System.Text.Json;
using MnistMl.Onnx;
using MnistMl.Onnx.Proto;

namespace MnistMl.Cli;

/// <summary>What the command line reads from an exported .onnx file besides running it: class names, input shape.</summary>
internal static class OnnxModelFile
{
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        try { return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)); }
        catch (Google.Protobuf.InvalidProtocolBufferException e) { throw new InvalidDataException($"ONNX model '{path}' cannot be parsed: {e.Message}", e); }
    }

    /// <summary>The class names MnistMl's exporter stored, or the class indices when the model has none.</summary>
    public static IReadOnlyList<string> ClassNames(ModelProto model, int classCount, string path)
    {
        var names = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxExporter.MetadataKeys.ClassNames)?.Value;
        if (names is null) return Enumerable.Range(0, classCount).Select(i => i.ToString()).ToArray();
        string[]? parsed;
        try { parsed = JsonSerializer.Deserialize<string[]>(names); }
        catch (JsonException e) { throw new InvalidDataException($"ONNX model '{path}': its {OnnxExporter.MetadataKeys.ClassNames} metadata is not a JSON list of names ({e.Message}).", e); }
        if (parsed is null || parsed.Length != classCount || parsed.Any(n => n is null))
            throw new InvalidDataException($"ONNX model '{path}': its {OnnxExporter.MetadataKeys.ClassNames} metadata names {parsed?.Length ?? 0} classes, its output has {classCount}.");
        return parsed;
    }

    public static string Shape(ValueInfoProto value) =>
        "[" + string.Join(", ", value.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString() : d.DimParam)) + "]";
}
