using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>
/// The type of a data-view column: element type and per-row shape ([] scalar, [784] vector, [1, 28, 28] image),
/// and, for key columns (class labels), the number of classes. Keys are 0-based class indices stored as int64
/// (ML.NET's keys are 1-based; PyTorch's class indices are 0-based, and the trainers consume these directly).
/// </summary>
public sealed record ColumnType
{
    public ColumnType(ScalarType elementType, long[] dimensions, int? keyCount = null)
    {
        if (dimensions.Any(d => d <= 0)) throw new ArgumentException($"Column dimensions [{string.Join(", ", dimensions)}] must be positive.", nameof(dimensions));
        if (keyCount is { } k && (k <= 0 || elementType != ScalarType.Int64 || dimensions.Length != 0))
            throw new ArgumentException("A key column is a scalar int64 with a positive class count.", nameof(keyCount));
        ElementType = elementType;
        Dimensions = dimensions;
        KeyCount = keyCount;
    }

    public ScalarType ElementType { get; }
    public long[] Dimensions { get; }
    public int? KeyCount { get; }

    public bool IsKey => KeyCount is not null;
    public bool IsScalar => Dimensions.Length == 0;

    /// <summary>Images are [channels, height, width].</summary>
    public bool IsImage => Dimensions.Length == 3;

    /// <summary>Elements per row.</summary>
    public long Size => Dimensions.Aggregate(1L, (a, b) => a * b);

    public static ColumnType Key(int classCount) => new(ScalarType.Int64, [], classCount);
    public static ColumnType Scalar(ScalarType elementType) => new(elementType, []);
    public static ColumnType Vector(ScalarType elementType, long length) => new(elementType, [length]);
    public static ColumnType Image(ScalarType elementType, long channels, long height, long width) => new(elementType, [channels, height, width]);

    public bool Equals(ColumnType? other) =>
        other is not null && ElementType == other.ElementType && KeyCount == other.KeyCount && Dimensions.SequenceEqual(other.Dimensions);

    public override int GetHashCode() => HashCode.Combine(ElementType, KeyCount, Dimensions.Length);

    public override string ToString()
    {
        if (KeyCount is { } k) return $"Key<{k}>";
        string element = ElementType switch
        {
            ScalarType.Float32 => "float",
            ScalarType.Float64 => "double",
            ScalarType.Byte => "byte",
            ScalarType.Int64 => "long",
            ScalarType.Int32 => "int",
            ScalarType.Bool => "bool",
            _ => ElementType.ToString(),
        };
        return IsScalar ? element : $"{element}[{string.Join(", ", Dimensions)}]";
    }
}
