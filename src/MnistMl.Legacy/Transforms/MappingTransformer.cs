using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Base of the row-wise transformers: each adds (or replaces, when the name exists) columns computed batch by
/// batch from input columns, and may hide columns. Subclasses describe the columns; <see cref="TransformedDataView"/>
/// computes only those a reader asks for.
/// </summary>
public abstract class MappingTransformer : ITransformer
{
    /// <summary>The columns this transformer computes for an input schema; throws naming the column when the input does not fit.</summary>
    public abstract IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema);

    /// <summary>Input columns the output no longer shows.</summary>
    public virtual IReadOnlyCollection<string> HiddenColumns(DataViewSchema inputSchema) => [];

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        OutputSchema(inputSchema, DeriveColumns(inputSchema), HiddenColumns(inputSchema));

    public IDataView Transform(IDataView input) => new TransformedDataView(input, this);

    internal static DataViewSchema OutputSchema(DataViewSchema input, IReadOnlyList<DerivedColumn> derived, IReadOnlyCollection<string> hidden)
    {
        var replaced = derived.ToDictionary(d => d.Column.Name, d => d.Column, StringComparer.Ordinal);
        // A derived column with an existing name takes that column's place; new columns go at the end.
        var columns = input.Where(c => !hidden.Contains(c.Name))
            .Select(c => replaced.Remove(c.Name, out var replacement) ? replacement : c)
            .ToList();
        columns.AddRange(derived.Select(d => d.Column).Where(c => replaced.ContainsKey(c.Name)));
        return new DataViewSchema(columns);
    }
}
