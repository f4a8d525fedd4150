using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>Keeps only the named columns (ML.NET's SelectColumns) or hides them (DropColumns).</summary>
public sealed class ColumnSelectingTransformer : MappingTransformer
{
    public ColumnSelectingTransformer(IReadOnlyCollection<string> columns, bool keep)
    {
        if (columns.Count == 0) throw new ArgumentException("Name at least one column.", nameof(columns));
        Columns = columns;
        Keep = keep;
    }

    public IReadOnlyCollection<string> Columns { get; }

    /// <summary>True: keep only <see cref="Columns"/>; false: drop them.</summary>
    public bool Keep { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        foreach (var name in Columns) _ = inputSchema[name];
        return [];
    }

    public override IReadOnlyCollection<string> HiddenColumns(DataViewSchema inputSchema) =>
        Keep ? inputSchema.Select(c => c.Name).Where(n => !Columns.Contains(n)).ToArray() : Columns;
}

/// <summary>Copies a column under a new name (ML.NET's CopyColumns); with <see cref="HideSource"/>, a rename.</summary>
public sealed class ColumnCopyingTransformer(string outputColumnName, string inputColumnName, bool hideSource = false) : MappingTransformer
{
    public string OutputColumnName { get; } = outputColumnName;
    public string InputColumnName { get; } = inputColumnName;
    public bool HideSource { get; } = hideSource;

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = inputSchema[InputColumnName];
        return [new(input with { Name = OutputColumnName }, [InputColumnName], x => x[0].alias())];
    }

    public override IReadOnlyCollection<string> HiddenColumns(DataViewSchema inputSchema) =>
        HideSource && OutputColumnName != InputColumnName ? [InputColumnName] : [];
}

/// <summary>
/// Flattens numeric columns and joins them into one float32 feature vector (ML.NET's Concatenate), in the order given.
/// </summary>
public sealed class ColumnConcatenatingTransformer : MappingTransformer
{
    public ColumnConcatenatingTransformer(string outputColumnName, params string[] inputColumnNames)
    {
        if (inputColumnNames.Length == 0) throw new ArgumentException("Name at least one column to concatenate.", nameof(inputColumnNames));
        OutputColumnName = outputColumnName;
        InputColumnNames = inputColumnNames;
    }

    public string OutputColumnName { get; }
    public IReadOnlyList<string> InputColumnNames { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        long size = InputColumnNames.Sum(name => ColumnChecks.Numeric(inputSchema, name, "Concatenate").Type.Size);
        return [new(new(OutputColumnName, ColumnType.Vector(ScalarType.Float32, size)), InputColumnNames, x =>
        {
            var parts = x.Select(t => ColumnChecks.AsFloat(t).reshape(t.size(0), -1)).ToArray();
            try { return torch.cat(parts, 1); }
            finally { foreach (var p in parts) p.Dispose(); }
        })];
    }
}
