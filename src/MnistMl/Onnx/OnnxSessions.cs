using Microsoft.ML.OnnxRuntime;

namespace MnistMl.Onnx;

/// <summary>Opening ONNX Runtime sessions with errors that name the model, and describing node shapes.</summary>
public static class OnnxSessions
{
    /// <summary>An <see cref="InferenceSession"/> over model bytes; ONNX Runtime's load errors name <paramref name="source"/>.</summary>
    public static InferenceSession Open(byte[] model, string source, SessionOptions? options = null)
    {
        try
        {
            return options is null ? new InferenceSession(model) : new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX model '{source}' cannot be loaded by ONNX Runtime: {e.Message}", e);
        }
    }

    /// <summary>An <see cref="InferenceSession"/> over a file; a missing file or a load error names it.</summary>
    public static InferenceSession Open(string path, SessionOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        return Open(File.ReadAllBytes(path), path, options);
    }

    /// <summary>A shape as "[N, 1, 28, 28]" (symbolic dimensions by name, unknown ones as "?").</summary>
    public static string ShapeText(NodeMetadata node) =>
        "[" + string.Join(", ", node.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : node.SymbolicDimensions is { } names && i < names.Length && names[i].Length > 0 ? names[i] : "?")) + "]";
}
