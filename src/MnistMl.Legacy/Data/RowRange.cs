namespace MnistMl.Data;

/// <summary>Argument checks shared by the data views.</summary>
internal static class RowRange
{
    public static void Check(long start, long count, long rowCount)
    {
        if (start < 0 || count < 0 || start + count > rowCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + count}) are outside the view's {rowCount} rows.");
    }

    /// <summary>The schema columns named by <paramref name="names"/> (all when null); unknown names throw.</summary>
    public static IEnumerable<DataViewSchema.Column> Select(DataViewSchema schema, IReadOnlyCollection<string>? names) =>
        names is null ? schema : names.Select(n => schema[n]);
}
