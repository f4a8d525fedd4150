using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>Reading helpers over any data view.</summary>
public static class DataViewExtensions
{
    /// <summary>
    /// Consecutive batches of up to <paramref name="batchSize"/> rows. Each batch is disposed when the loop moves on,
    /// so a full pass holds one batch at a time; clone a tensor to keep it.
    /// </summary>
    public static IEnumerable<DataBatch> GetBatches(this IDataView data, int batchSize, IReadOnlyCollection<string>? columns = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        for (long start = 0; start < data.RowCount; start += batchSize)
        {
            using var batch = data.GetRows(start, Math.Min(batchSize, data.RowCount - start), columns);
            yield return batch;
        }
    }

    /// <summary>The values of a scalar column (a key column's class indices, say) as int64.</summary>
    public static long[] ReadInt64Column(this IDataView data, string column)
    {
        var type = data.Schema[column].Type;
        if (!type.IsScalar) throw new ArgumentException($"Column '{column}' is {type}, not a scalar column.", nameof(column));
        var values = new long[data.RowCount];
        long offset = 0;
        foreach (var batch in data.GetBatches(8192, [column]))
        {
            using var asLong = batch[column].to_type(ScalarType.Int64);
            asLong.CopyTo<long>(values.AsSpan(checked((int)offset), checked((int)batch.RowCount)));
            offset += batch.RowCount;
        }
        return values;
    }

    /// <summary>A readable look at the data: schema, the first rows and the label distribution (ML.NET's Preview).</summary>
    public static DataPreview Preview(this IDataView data, int maxRows = 5, string labelColumnName = "Label") =>
        DataPreview.Create(data, maxRows, labelColumnName);
}
