using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Materializes its input in managed memory on first use (ML.NET's cache checkpoint), so data reused across
/// epochs is transformed once.
/// </summary>
public sealed class CacheTransformer : ITransformer
{
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

    public IDataView Transform(IDataView input) => input as CachedDataView ?? new CachedDataView(input);
}

/// <summary>A view that reads its whole source into memory the first time any row is read.</summary>
public sealed class CachedDataView(IDataView source) : IDataView
{
    private readonly Lazy<InMemoryDataView> cache = new(() => InMemoryDataView.Materialize(source));

    public DataViewSchema Schema => source.Schema;

    public long RowCount => source.RowCount;

    public DataBatch GetRows(long start, long count, IReadOnlyCollection<string>? columns = null) => cache.Value.GetRows(start, count, columns);

    public DataBatch GetRows(IReadOnlyList<long> rows, IReadOnlyCollection<string>? columns = null) => cache.Value.GetRows(rows, columns);
}
