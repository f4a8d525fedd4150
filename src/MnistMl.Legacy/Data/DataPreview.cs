using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>
/// A summary of a data view for people: the schema, a line per leading row (scalars and keys as values and class
/// names, tensors as shape and value range) and, when there is a key label column, the rows per class.
/// </summary>
public sealed class DataPreview
{
    private DataPreview(DataViewSchema schema, long rowCount, IReadOnlyList<IReadOnlyDictionary<string, string>> rows,
        IReadOnlyList<(string Class, long Count)>? labelDistribution)
    {
        Schema = schema;
        RowCount = rowCount;
        Rows = rows;
        LabelDistribution = labelDistribution;
    }

    public DataViewSchema Schema { get; }
    public long RowCount { get; }

    /// <summary>The leading rows, column name → rendered value.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; }

    /// <summary>Rows per class of the label column, in class order; null without a key label column.</summary>
    public IReadOnlyList<(string Class, long Count)>? LabelDistribution { get; }

    internal static DataPreview Create(IDataView data, int maxRows, string labelColumnName)
    {
        if (maxRows < 0) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "The row count must not be negative.");
        var rows = new List<IReadOnlyDictionary<string, string>>();
        long shown = Math.Min(maxRows, data.RowCount);
        if (shown > 0)
        {
            using var batch = data.GetRows(0, shown);
            for (long r = 0; r < shown; r++)
                rows.Add(data.Schema.ToDictionary(c => c.Name, c => Render(c, batch[c.Name], r)));
        }
        IReadOnlyList<(string, long)>? distribution = null;
        if (data.Schema.GetColumnOrNull(labelColumnName) is { Type.IsKey: true } label)
        {
            var counts = new long[label.Type.KeyCount!.Value];
            foreach (var key in data.ReadInt64Column(labelColumnName)) counts[key]++;
            distribution = counts.Select((n, k) => (ClassName(label, k), n)).ToArray();
        }
        return new DataPreview(data.Schema, data.RowCount, rows, distribution);
    }

    private static string ClassName(DataViewSchema.Column key, long index) =>
        key.KeyValues is { } names && index < names.Count ? names[(int)index] : index.ToString(CultureInfo.InvariantCulture);

    private static string Render(DataViewSchema.Column column, Tensor values, long row)
    {
        using var cell = values.select(0, row);
        using var asDouble = cell.to_type(ScalarType.Float64);
        if (column.Type.IsKey)
        {
            long key = (long)asDouble.ToDouble();
            return $"{key} ({ClassName(column, key)})";
        }
        if (column.Type.IsScalar) return asDouble.ToDouble().ToString("G6", CultureInfo.InvariantCulture);
        var elements = asDouble.data<double>().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"[{string.Join("×", column.Type.Dimensions)}] min {elements.Min():G4} max {elements.Max():G4} mean {elements.Average():G4}");
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{RowCount} rows; columns: {string.Join(", ", Schema.Select(c => $"{c.Name} ({c.Type})"))}");
        for (int r = 0; r < Rows.Count; r++)
            text.AppendLine(CultureInfo.InvariantCulture, $"row {r}: {string.Join("; ", Rows[r].Select(p => $"{p.Key} = {p.Value}"))}");
        if (LabelDistribution is { } distribution)
            text.AppendLine("label distribution: " + string.Join(", ", distribution.Select(d => $"{d.Class}: {d.Count}")));
        return text.ToString();
    }
}
