namespace MnistMl.Data;

/// <summary>
/// A table of rows with a schema (ML.NET's IDataView), read in batches of tensors. Views are lazy: transforms run
/// when rows are read, on the rows read and the columns asked for. Every view knows its row count and can read any
/// rows by index, which is what shuffles, samples and splits are built on. Row order is deterministic.
/// </summary>
public interface IDataView
{
    DataViewSchema Schema { get; }

    long RowCount { get; }

    /// <summary>Rows [start, start + count); <paramref name="columns"/> null means every column.</summary>
    DataBatch GetRows(long start, long count, IReadOnlyCollection<string>? columns = null);

    /// <summary>The rows at the given indices, in that order.</summary>
    DataBatch GetRows(IReadOnlyList<long> rows, IReadOnlyCollection<string>? columns = null);
}
