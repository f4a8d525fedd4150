using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>
/// Learns min/max or mean/std of a numeric column on the data it is fitted on (one pass, float64 accumulation);
/// the fitted <see cref="NormalizingTransformer"/> applies those statistics unchanged to any later data.
/// </summary>
public sealed class NormalizingEstimator(NormalizationKind kind, string outputColumnName, string? inputColumnName = null,
    NormalizationScope scope = NormalizationScope.PerElement) : IEstimator<NormalizingTransformer>
{
    private const int BatchSize = 4096;
    private readonly string inputColumnName = inputColumnName ?? outputColumnName;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        new NormalizingTransformer(outputColumnName, inputColumnName, [0], [1], kind).GetOutputSchema(inputSchema);

    public NormalizingTransformer Fit(IDataView input)
    {
        var column = ColumnChecks.Numeric(input.Schema, inputColumnName, $"Normalize{kind}");
        if (input.RowCount == 0) throw new ArgumentException($"Normalize{kind}: the data to fit on has no rows.", nameof(input));
        long width = scope == NormalizationScope.Global ? 1 : column.Type.Size;
        Tensor? sum = null, sumOfSquares = null, min = null, max = null;
        long rowsPerStatistic = 0;
        try
        {
            for (long start = 0; start < input.RowCount; start += BatchSize)
            {
                using var batch = input.GetRows(start, Math.Min(BatchSize, input.RowCount - start), [inputColumnName]);
                using var scopeOfBatch = torch.NewDisposeScope();
                var x = batch[inputColumnName].to_type(ScalarType.Float64).reshape(-1, width);
                rowsPerStatistic += x.size(0);
                Accumulate(ref sum, x.sum(0L), (a, b) => a + b);
                Accumulate(ref sumOfSquares, x.square().sum(0L), (a, b) => a + b);
                Accumulate(ref min, x.min(0).values, (a, b) => a.minimum(b));
                Accumulate(ref max, x.max(0).values, (a, b) => a.maximum(b));
            }
            var (offset, scale) = kind == NormalizationKind.MinMax
                ? MinMax(min!.data<double>().ToArray(), max!.data<double>().ToArray())
                : MeanVariance(sum!.data<double>().ToArray(), sumOfSquares!.data<double>().ToArray(), rowsPerStatistic);
            return new NormalizingTransformer(outputColumnName, inputColumnName, offset, scale, kind);
        }
        finally
        {
            sum?.Dispose(); sumOfSquares?.Dispose(); min?.Dispose(); max?.Dispose();
        }
    }

    /// <summary>Combines a batch statistic into the running one, which lives outside the batch's scope.</summary>
    private static void Accumulate(ref Tensor? running, Tensor batch, Func<Tensor, Tensor, Tensor> combine)
    {
        var next = running is null ? batch.clone() : combine(running, batch);
        next.DetachFromDisposeScope();
        running?.Dispose();
        running = next;
    }

    private static (double[] Offset, double[] Scale) MinMax(double[] min, double[] max) =>
        (min, min.Zip(max, (lo, hi) => hi > lo ? 1 / (hi - lo) : 0).ToArray());

    private static (double[] Offset, double[] Scale) MeanVariance(double[] sum, double[] sumOfSquares, long n)
    {
        var mean = sum.Select(s => s / n).ToArray();
        var scale = new double[mean.Length];
        for (int i = 0; i < mean.Length; i++)
        {
            double variance = Math.Max(sumOfSquares[i] / n - mean[i] * mean[i], 0);
            double std = Math.Sqrt(variance);
            scale[i] = std > 1e-12 * Math.Max(1, Math.Abs(mean[i])) ? 1 / std : 1;
        }
        return (mean, scale);
    }
}
