using System.Globalization;

namespace MnistMl.Evaluation;

/// <summary>
/// The mean and spread of one metric over cross-validation folds. <see cref="StandardDeviation"/> is the population
/// standard deviation (divisor n, numpy's <c>np.std</c> default, what scikit-learn users usually print next to
/// <c>cross_val_score(...).mean()</c>); <see cref="SampleStandardDeviation"/> (divisor n − 1) is what ML.NET's
/// MetricStatistics reports.
/// </summary>
public sealed class MetricStatistics
{
    internal MetricStatistics(IEnumerable<double> values)
    {
        var observed = values.ToArray();
        Count = observed.Length;
        Mean = observed.Sum() / Count;
        double squares = observed.Sum(v => (v - Mean) * (v - Mean));
        StandardDeviation = Math.Sqrt(squares / Count);
        // One fold has no spread to estimate; ML.NET reports 0 there rather than 0/0.
        SampleStandardDeviation = Count > 1 ? Math.Sqrt(squares / (Count - 1)) : 0;
    }

    public double Mean { get; }

    /// <summary>Population standard deviation: √(Σ(x − mean)² / n), as numpy's np.std.</summary>
    public double StandardDeviation { get; }

    /// <summary>Sample standard deviation: √(Σ(x − mean)² / (n − 1)), as ML.NET's MetricStatistics (0 for one fold).</summary>
    public double SampleStandardDeviation { get; }

    /// <summary>The number of folds.</summary>
    public int Count { get; }

    /// <summary>"mean ± population standard deviation" with four decimals, e.g. "0.9812 ± 0.0021".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:0.0000} ± {StandardDeviation:0.0000}");
}
