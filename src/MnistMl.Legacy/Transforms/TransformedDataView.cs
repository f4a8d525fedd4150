using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>
/// The lazy result of a <see cref="MappingTransformer"/>: reading rows reads the same rows of the source (only the
/// columns needed) and computes the requested derived columns on that batch.
/// </summary>
public sealed class TransformedDataView : IDataView
{
    private readonly IDataView source;
    private readonly Dictionary<string, DerivedColumn> derived;

    public TransformedDataView(IDataView source, MappingTransformer transformer)
    {
        this.source = source;
        var columns = transformer.DeriveColumns(source.Schema);
        derived = columns.ToDictionary(d => d.Column.Name, StringComparer.Ordinal);
        Schema = MappingTransformer.OutputSchema(source.Schema, columns, transformer.HiddenColumns(source.Schema));
    }

    public DataViewSchema Schema { get; }

    public long RowCount => source.RowCount;

    public DataBatch GetRows(long start, long count, IReadOnlyCollection<string>? columns = null) =>
        Map(columns, needed => source.GetRows(start, count, needed));

    public DataBatch GetRows(IReadOnlyList<long> rows, IReadOnlyCollection<string>? columns = null) =>
        Map(columns, needed => source.GetRows(rows, needed));

    private DataBatch Map(IReadOnlyCollection<string>? columns, Func<IReadOnlyCollection<string>, DataBatch> read)
    {
        var requested = RowRange.Select(Schema, columns).Select(c => c.Name).ToList();
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in requested)
        {
            if (derived.TryGetValue(name, out var column)) needed.UnionWith(column.Inputs);
            else needed.Add(name);
        }
        using var input = read(needed);
        var output = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var name in requested)
            {
                if (derived.TryGetValue(name, out var column))
                {
                    var inputs = column.Inputs.Select(i => input[i]).ToArray();
                    // Intermediates of the batch function die with this scope; only its result moves on.
                    using var scope = torch.NewDisposeScope();
                    output[name] = column.Compute(inputs).MoveToOuterDisposeScope();
                }
                else
                {
                    output[name] = input[name].alias();
                }
            }
        }
        catch
        {
            foreach (var t in output.Values) t.Dispose();
            throw;
        }
        return new DataBatch(input.RowCount, output);
    }
}
