using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Transforms;

/// <summary>Checks of the columns MnistMl's transforms read, with errors that name the transform and the column.</summary>
internal static class ImageColumns
{
    /// <summary>The type of a known-size float vector column; with <paramref name="rank"/>, one with that many dimensions.</summary>
    public static VectorDataViewType Require(DataViewSchema schema, string columnName, string transform, int? rank = null)
    {
        var column = schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException($"{transform}: the input has no column '{columnName}' (it has {string.Join(", ", schema.Select(c => c.Name))}).", nameof(schema));
        return Require(column.Type, columnName, transform, rank);
    }

    public static VectorDataViewType Require(DataViewType type, string columnName, string transform, int? rank = null)
    {
        if (type is not VectorDataViewType { ItemType: NumberDataViewType item, IsKnownSize: true } vector || item.RawType != typeof(float))
            throw new ArgumentException($"{transform}: column '{columnName}' is {type}; it needs a known-size vector of Single (convert other types with ml.Transforms.Conversion.ConvertType).");
        if (rank is { } r && vector.Dimensions.Length != r)
            throw new ArgumentException($"{transform}: column '{columnName}' has dimensions [{string.Join(", ", vector.Dimensions)}]; it needs images [channels, height, width] (give them that shape with ml.Transforms.Reshape).");
        return vector;
    }

    /// <summary>The estimator-time check: the column exists and is a known-size Single vector.</summary>
    public static void Require(SchemaShape shape, string columnName, string transform)
    {
        var column = SchemaShapes.Find(shape, columnName)
            ?? throw new ArgumentException($"{transform}: the input has no column '{columnName}'.", nameof(shape));
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType is not NumberDataViewType { RawType: var raw } || raw != typeof(float) || column.IsKey)
            throw new ArgumentException($"{transform}: column '{columnName}' is {column.Kind} of {column.ItemType}; it needs a known-size vector of Single.");
    }

    public static string Shape(VectorDataViewType type) => $"[{string.Join(", ", type.Dimensions)}]";
}
