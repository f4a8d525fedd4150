namespace MnistMl.Onnx;

/// <summary>The element type of the exported model's input.</summary>
public enum OnnxInputType
{
    /// <summary>float32 pixels as the raw column holds them (0–255 for byte images); the default.</summary>
    Float32,

    /// <summary>uint8 pixels, cast to float32 inside the model (the raw column must hold whole numbers 0–255).</summary>
    UInt8,
}

/// <summary>Choices of the ONNX exporter (MnistMl.Onnx.OnnxExporter in MnistMl.TorchSharp); the defaults suit most uses.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The graph input's name; null: the raw feature column's name in lower case ("Image" → "image").</summary>
    public string? InputName { get; init; }

    /// <summary>The graph input's element type.</summary>
    public OnnxInputType InputType { get; init; } = OnnxInputType.Float32;

    /// <summary>The graph's and the pipeline's name (metadata pipeline_name); null: "mnistml".</summary>
    public string? Name { get; init; }

    /// <summary>Free text stored as the model's doc_string and metadata pipeline_description.</summary>
    public string? Description { get; init; }

    /// <summary>Extra metadata_props (key → value), added after the exporter's own; a key may not repeat one of them.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
