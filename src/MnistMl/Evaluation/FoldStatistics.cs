using System.Globalization;

namespace MnistMl.Evaluation;

/// <summary>Mean and spread of one metric over cross-validation folds.</summary>
public sealed class FoldStatistics
{
    private FoldStatistics(IReadOnlyList<double> values, double mean, double standardDeviation, double sampleStandardDeviation)
    {
        Values = values;
        Mean = mean;
        StandardDeviation = standardDeviation;
        SampleStandardDeviation = sampleStandardDeviation;
    }

    /// <summary>The per-fold values, in fold order.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Number of values.</summary>
    public int Count => Values.Count;

    /// <summary>Arithmetic mean; NaN when there are no values.</summary>
    public double Mean { get; }

    /// <summary>Population standard deviation (divides by n, numpy's <c>np.std</c> default); NaN when there are no values.</summary>
    public double StandardDeviation { get; }

    /// <summary>Sample standard deviation (divides by n - 1, <c>np.std(ddof=1)</c>); NaN with fewer than two values.</summary>
    public double SampleStandardDeviation { get; }

    /// <summary>Computes the statistics of <paramref name="values"/>.</summary>
    public static FoldStatistics FromValues(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] v = values.ToArray();
        int n = v.Length;
        if (n == 0)
            return new FoldStatistics(v, double.NaN, double.NaN, double.NaN);

        double mean = v.Sum() / n;
        // Two passes (deviations from the mean), as numpy does: no cancellation from sum(x^2) - n*mean^2.
        double squares = 0;
        foreach (double x in v)
            squares += (x - mean) * (x - mean);
        double sample = n > 1 ? Math.Sqrt(squares / (n - 1)) : double.NaN;
        return new FoldStatistics(v, mean, Math.Sqrt(squares / n), sample);
    }

    /// <summary>"mean ± std" (population standard deviation) with <paramref name="digits"/> decimals, invariant culture.</summary>
    public string Format(int digits = 4)
    {
        string format = "F" + digits.ToString(CultureInfo.InvariantCulture);
        return $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {StandardDeviation.ToString(format, CultureInfo.InvariantCulture)}";
    }

    /// <summary>"mean ± std" with four decimals, e.g. "0.9812 ± 0.0021".</summary>
    public override string ToString() => Format();
}
