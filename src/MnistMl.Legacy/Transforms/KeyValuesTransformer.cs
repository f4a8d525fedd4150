using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>Names the classes of a key column (e.g. Fashion-MNIST's item names for 0–9); the data is unchanged.</summary>
public sealed class KeyValuesTransformer : MappingTransformer
{
    public KeyValuesTransformer(string columnName, IReadOnlyList<string> classNames)
    {
        if (classNames.Count == 0) throw new ArgumentException("At least one class name is needed.", nameof(classNames));
        ColumnName = columnName;
        ClassNames = classNames;
    }

    public string ColumnName { get; }
    public IReadOnlyList<string> ClassNames { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var key = ColumnChecks.Key(inputSchema, ColumnName, "SetClassNames");
        if (key.Type.KeyCount != ClassNames.Count)
            throw new ArgumentException($"SetClassNames: column '{ColumnName}' has {key.Type.KeyCount} classes but {ClassNames.Count} names were given.", nameof(inputSchema));
        return [new(key with { KeyValues = ClassNames }, [ColumnName], x => x[0].alias())];
    }
}
