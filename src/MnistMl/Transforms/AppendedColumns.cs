using Microsoft.ML;

namespace MnistMl.Transforms;

/// <summary>
/// Views that pass their input's columns on and append computed ones (MnistMl's transformers and trainers, as
/// ML.NET's own row-to-row transformers do): which input columns a reader needs.
/// </summary>
internal static class AppendedColumns
{
    /// <summary>
    /// The input columns a reader of <paramref name="columnsNeeded"/> needs — the passed-on ones it reads, plus
    /// <paramref name="sourceColumnName"/> (when given) if it reads a computed one — and whether it does.
    /// </summary>
    public static (List<DataViewSchema.Column> Input, bool ComputedActive) InputColumns(DataViewSchema inputSchema,
        IEnumerable<DataViewSchema.Column> columnsNeeded, string? sourceColumnName)
    {
        var needed = new List<DataViewSchema.Column>();
        bool computed = false;
        foreach (var column in columnsNeeded)
        {
            if (column.Index < inputSchema.Count) needed.Add(inputSchema[column.Index]);
            else computed = true;
        }
        if (computed && sourceColumnName is not null) needed.Add(inputSchema[sourceColumnName]);
        return (needed, computed);
    }
}
