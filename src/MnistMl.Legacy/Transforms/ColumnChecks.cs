using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>Schema checks shared by the transformers; the errors name the column and what was expected.</summary>
internal static class ColumnChecks
{
    public static DataViewSchema.Column Numeric(DataViewSchema schema, string name, string transform)
    {
        var column = schema[name];
        if (column.Type.IsKey || column.Type.ElementType == ScalarType.Bool)
            throw new ArgumentException($"{transform}: column '{name}' is {column.Type}; a numeric (byte, int, float) column is needed.", nameof(schema));
        return column;
    }

    public static DataViewSchema.Column Image(DataViewSchema schema, string name, string transform, long? channels = null)
    {
        var column = Numeric(schema, name, transform);
        if (!column.Type.IsImage || (channels is { } c && column.Type.Dimensions[0] != c))
            throw new ArgumentException($"{transform}: column '{name}' is {column.Type}; an image [{(channels is { } n ? n.ToString() : "channels")}, height, width] is needed (reshape vectors to images first).", nameof(schema));
        return column;
    }

    public static DataViewSchema.Column Key(DataViewSchema schema, string name, string transform)
    {
        var column = schema[name];
        if (!column.Type.IsKey)
            throw new ArgumentException($"{transform}: column '{name}' is {column.Type}, not a key (class index) column; map it with MapValueToKey first.", nameof(schema));
        return column;
    }

    /// <summary>A batch tensor as float32 (a new tensor).</summary>
    public static Tensor AsFloat(Tensor t) => t.dtype == ScalarType.Float32 ? t.alias() : t.to_type(ScalarType.Float32);
}
