using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>
/// A data view over rows held in managed memory (one contiguous row-major byte array per column). Reading copies
/// just the requested rows into new tensors, so the view owns no native memory and needs no disposing.
/// </summary>
public sealed class InMemoryDataView : IDataView
{
    private readonly byte[][] columnBytes;
    private readonly int[] rowBytes;

    /// <summary>Creates a view; <paramref name="columnData"/>[i] holds column i's rows as raw little-endian elements.</summary>
    public InMemoryDataView(DataViewSchema schema, long rowCount, IReadOnlyList<byte[]> columnData)
    {
        if (columnData.Count != schema.Count)
            throw new ArgumentException($"{schema.Count} columns in the schema but {columnData.Count} data arrays.", nameof(columnData));
        Schema = schema;
        RowCount = rowCount;
        columnBytes = columnData.ToArray();
        rowBytes = new int[schema.Count];
        for (int i = 0; i < schema.Count; i++)
        {
            var type = schema[i].Type;
            rowBytes[i] = checked((int)(type.Size * type.ElementType.ElementSize()));
            if (columnBytes[i].LongLength != rowCount * rowBytes[i])
                throw new ArgumentException($"Column '{schema[i].Name}' ({type}) needs {rowCount * rowBytes[i]} bytes for {rowCount} rows; {columnBytes[i].LongLength} were given.", nameof(columnData));
        }
    }

    public DataViewSchema Schema { get; }

    public long RowCount { get; }

    /// <summary>Builds a view from typed arrays, one per column, each holding every row's elements back to back.</summary>
    public static InMemoryDataView FromArrays(DataViewSchema schema, params Array[] columns)
    {
        if (columns.Length != schema.Count) throw new ArgumentException($"{schema.Count} columns in the schema but {columns.Length} arrays.", nameof(columns));
        long rows = -1;
        var bytes = new byte[columns.Length][];
        for (int i = 0; i < columns.Length; i++)
        {
            var type = schema[i].Type;
            long count = columns[i].LongLength / type.Size;
            if (count * type.Size != columns[i].LongLength)
                throw new ArgumentException($"Column '{schema[i].Name}' has {columns[i].LongLength} elements, not a multiple of its row size {type.Size}.", nameof(columns));
            if (rows >= 0 && count != rows)
                throw new ArgumentException($"Column '{schema[i].Name}' has {count} rows; '{schema[0].Name}' has {rows}.", nameof(columns));
            rows = count;
            bytes[i] = new byte[Buffer.ByteLength(columns[i])];
            Buffer.BlockCopy(columns[i], 0, bytes[i], 0, bytes[i].Length);
        }
        return new InMemoryDataView(schema, Math.Max(rows, 0), bytes);
    }

    /// <summary>Reads every row of <paramref name="source"/> into memory (the cache of a lazy chain).</summary>
    public static InMemoryDataView Materialize(IDataView source, int batchSize = 4096)
    {
        var schema = source.Schema;
        var data = schema.Select(c => new byte[checked(source.RowCount * c.Type.Size * c.Type.ElementType.ElementSize())]).ToArray();
        for (long start = 0; start < source.RowCount; start += batchSize)
        {
            long count = Math.Min(batchSize, source.RowCount - start);
            using var batch = source.GetRows(start, count);
            for (int i = 0; i < schema.Count; i++)
            {
                long rowSize = schema[i].Type.Size * schema[i].Type.ElementType.ElementSize();
                using var contiguous = batch[schema[i].Name].contiguous();
                contiguous.bytes.CopyTo(data[i].AsSpan(checked((int)(start * rowSize)), checked((int)(count * rowSize))));
            }
        }
        return new InMemoryDataView(schema, source.RowCount, data);
    }

    public DataBatch GetRows(long start, long count, IReadOnlyCollection<string>? columns = null)
    {
        RowRange.Check(start, count, RowCount);
        return Build(count, columns, (i, destination) =>
            columnBytes[i].AsSpan(checked((int)(start * rowBytes[i])), checked((int)(count * rowBytes[i]))).CopyTo(destination));
    }

    public DataBatch GetRows(IReadOnlyList<long> rows, IReadOnlyCollection<string>? columns = null)
    {
        foreach (var row in rows) RowRange.Check(row, 1, RowCount);
        return Build(rows.Count, columns, (i, destination) =>
        {
            int size = rowBytes[i];
            for (int r = 0; r < rows.Count; r++)
                columnBytes[i].AsSpan(checked((int)(rows[r] * size)), size).CopyTo(destination.Slice(r * size, size));
        });
    }

    private DataBatch Build(long count, IReadOnlyCollection<string>? columns, SpanFiller fill)
    {
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var column in RowRange.Select(Schema, columns))
            {
                var bytes = new byte[checked((int)(count * rowBytes[column.Index]))];
                fill(column.Index, bytes);
                var tensor = torch.empty([count, .. column.Type.Dimensions], column.Type.ElementType);
                tensor.bytes = bytes;
                tensors[column.Name] = tensor;
            }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return new DataBatch(count, tensors);
    }

    private delegate void SpanFiller(int column, Span<byte> destination);
}
