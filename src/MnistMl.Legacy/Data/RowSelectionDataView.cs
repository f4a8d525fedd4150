namespace MnistMl.Data;

/// <summary>
/// The rows of another view picked by index, in the given order: what subsets, shuffles and splits return.
/// Nothing is copied; reads are forwarded to the source with the mapped indices.
/// </summary>
public sealed class RowSelectionDataView : IDataView
{
    private readonly IDataView source;
    private readonly long[] rows;

    public RowSelectionDataView(IDataView source, long[] rows)
    {
        foreach (var row in rows) RowRange.Check(row, 1, source.RowCount);
        this.source = source;
        this.rows = rows;
    }

    public DataViewSchema Schema => source.Schema;

    public long RowCount => rows.LongLength;

    /// <summary>The source row behind each row of this view.</summary>
    public IReadOnlyList<long> SourceRows => rows;

    public DataBatch GetRows(long start, long count, IReadOnlyCollection<string>? columns = null)
    {
        RowRange.Check(start, count, RowCount);
        return source.GetRows(new ArraySegment<long>(rows, checked((int)start), checked((int)count)), columns);
    }

    public DataBatch GetRows(IReadOnlyList<long> selected, IReadOnlyCollection<string>? columns = null)
    {
        var mapped = new long[selected.Count];
        for (int i = 0; i < mapped.Length; i++)
        {
            RowRange.Check(selected[i], 1, RowCount);
            mapped[i] = rows[selected[i]];
        }
        return source.GetRows(mapped, columns);
    }
}
