using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>
/// A block of consecutive rows of a data view: one tensor per requested column, rows along dimension 0.
/// The batch owns its tensors (they leave any DisposeScope) and frees them on Dispose.
/// </summary>
public sealed class DataBatch : IDisposable
{
    private readonly Dictionary<string, Tensor> columns;

    public DataBatch(long rowCount, IDictionary<string, Tensor> columns)
    {
        foreach (var (name, tensor) in columns)
        {
            if (tensor.dim() == 0 || tensor.size(0) != rowCount)
            {
                foreach (var t in columns.Values) t.Dispose();
                throw new ArgumentException($"Column '{name}' has shape [{string.Join(", ", tensor.shape)}]; the batch has {rowCount} rows.", nameof(columns));
            }
            tensor.DetachFromDisposeScope();
        }
        RowCount = rowCount;
        this.columns = new Dictionary<string, Tensor>(columns, StringComparer.Ordinal);
    }

    public long RowCount { get; }

    public IReadOnlyCollection<string> ColumnNames => columns.Keys;

    /// <summary>The tensor of a column, [rows, …]; valid while the batch lives.</summary>
    public Tensor this[string column] => columns.TryGetValue(column, out var tensor)
        ? tensor
        : throw new ArgumentException($"The batch has no column '{column}' (it holds: {string.Join(", ", columns.Keys)}).", nameof(column));

    public bool Contains(string column) => columns.ContainsKey(column);

    public void Dispose()
    {
        foreach (var tensor in columns.Values) tensor.Dispose();
    }
}
