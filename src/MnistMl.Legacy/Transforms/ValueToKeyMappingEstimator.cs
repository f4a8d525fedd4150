using System.Globalization;
using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>
/// Learns the distinct values of a scalar column (sorted ascending) and maps each to its 0-based class index
/// (ML.NET's MapValueToKey); the values, as text, become the key's class names.
/// </summary>
public sealed class ValueToKeyMappingEstimator(string outputColumnName, string? inputColumnName = null) : IEstimator<ValueToKeyMappingTransformer>
{
    private readonly string inputColumnName = inputColumnName ?? outputColumnName;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        var columns = inputSchema.Where(c => c.Name != outputColumnName).ToList();
        columns.Add(new(outputColumnName, ColumnType.Key(1)));
        return new DataViewSchema(columns);
    }

    public ValueToKeyMappingTransformer Fit(IDataView input)
    {
        Check(input.Schema);
        var values = new SortedSet<double>();
        for (long start = 0; start < input.RowCount; start += 8192)
        {
            using var batch = input.GetRows(start, Math.Min(8192, input.RowCount - start), [inputColumnName]);
            using var asDouble = batch[inputColumnName].to_type(ScalarType.Float64);
            foreach (var v in asDouble.data<double>().ToArray())
            {
                if (double.IsNaN(v)) throw new InvalidDataException($"MapValueToKey: column '{inputColumnName}' holds NaN, which cannot be a class.");
                values.Add(v);
            }
        }
        if (values.Count == 0) throw new ArgumentException($"MapValueToKey: column '{inputColumnName}' has no rows to learn classes from.", nameof(input));
        return new ValueToKeyMappingTransformer(outputColumnName, inputColumnName, values.ToArray());
    }

    private void Check(DataViewSchema schema)
    {
        var column = ColumnChecks.Numeric(schema, inputColumnName, "MapValueToKey");
        if (!column.Type.IsScalar) throw new ArgumentException($"MapValueToKey: column '{inputColumnName}' is {column.Type}; a scalar column is needed.", nameof(schema));
    }
}

/// <summary>Maps the learned values to class indices; a value not seen while fitting is an error naming it.</summary>
public sealed class ValueToKeyMappingTransformer : MappingTransformer
{
    private readonly Dictionary<double, long> index;

    public ValueToKeyMappingTransformer(string outputColumnName, string inputColumnName, double[] values)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Values = values;
        index = values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => (long)p.i);
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }

    /// <summary>The class values in index order.</summary>
    public IReadOnlyList<double> Values { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        ColumnChecks.Numeric(inputSchema, InputColumnName, "MapValueToKey");
        var names = Values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        return [new(new(OutputColumnName, ColumnType.Key(Values.Count), names), [InputColumnName], x =>
        {
            using var asDouble = x[0].to_type(ScalarType.Float64);
            var keys = asDouble.data<double>().ToArray().Select(v => index.TryGetValue(v, out var k)
                ? k
                : throw new InvalidDataException($"MapValueToKey: column '{InputColumnName}' holds {v.ToString(CultureInfo.InvariantCulture)}, a value not seen when fitting (known: {string.Join(", ", names)}).")).ToArray();
            return torch.tensor(keys);
        })];
    }
}
