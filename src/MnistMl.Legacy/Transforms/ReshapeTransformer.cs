using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>Gives each row a new shape with the same element count: [784] ↔ [1, 28, 28], images → flat vectors.</summary>
public sealed class ReshapeTransformer : MappingTransformer
{
    public ReshapeTransformer(string outputColumnName, string? inputColumnName, params long[] dimensions)
    {
        if (dimensions.Length == 0 || dimensions.Any(d => d <= 0))
            throw new ArgumentOutOfRangeException(nameof(dimensions), $"The shape [{string.Join(", ", dimensions)}] needs positive sizes.");
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
        Dimensions = dimensions;
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }
    public long[] Dimensions { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = ColumnChecks.Numeric(inputSchema, InputColumnName, "Reshape");
        var type = new ColumnType(input.Type.ElementType, Dimensions);
        if (type.Size != input.Type.Size)
            throw new ArgumentException($"Reshape: column '{InputColumnName}' ({input.Type}) has {input.Type.Size} elements per row; [{string.Join(", ", Dimensions)}] holds {type.Size}.", nameof(inputSchema));
        return [new(new(OutputColumnName, type), [InputColumnName], x => x[0].reshape([x[0].size(0), .. Dimensions]))];
    }
}
