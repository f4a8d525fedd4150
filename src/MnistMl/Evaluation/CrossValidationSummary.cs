using System.Globalization;
using System.Text;
using Microsoft.ML.Data;

namespace MnistMl.Evaluation;

/// <summary>
/// Mean and standard deviation of multiclass metrics over cross-validation folds, e.g. of what
/// <c>MulticlassClassificationCatalog.CrossValidate</c> returns.
/// </summary>
public sealed class CrossValidationSummary
{
    /// <summary>Summarizes the metrics of each fold.</summary>
    /// <param name="folds">One evaluation per fold, in fold order.</param>
    /// <exception cref="ArgumentException">There are no folds, or one is null.</exception>
    public CrossValidationSummary(IEnumerable<MulticlassClassificationMetrics> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        MulticlassClassificationMetrics[] f = folds.ToArray();
        if (f.Length == 0)
            throw new ArgumentException("There are no folds to summarize.", nameof(folds));
        if (f.Any(m => m is null))
            throw new ArgumentException("A fold's metrics are null.", nameof(folds));

        Folds = f;
        Reports = f.Select(m => m.GetClassificationReport()).ToArray();
        MicroAccuracy = FoldStatistics.FromValues(f.Select(m => m.MicroAccuracy));
        MacroAccuracy = FoldStatistics.FromValues(f.Select(m => m.MacroAccuracy));
        LogLoss = FoldStatistics.FromValues(f.Select(m => m.LogLoss));
        LogLossReduction = FoldStatistics.FromValues(f.Select(m => m.LogLossReduction));
        MacroF1 = FoldStatistics.FromValues(Reports.Select(r => r.MacroAverage.F1Score));
        WeightedF1 = FoldStatistics.FromValues(Reports.Select(r => r.WeightedAverage.F1Score));

        // Without a topKPredictionCount, Evaluate leaves TopKPredictionCount at 0 and TopKAccuracy at 0: not a real value.
        int k = f[0].TopKPredictionCount;
        if (k > 0 && f.All(m => m.TopKPredictionCount == k))
        {
            TopKPredictionCount = k;
            TopKAccuracy = FoldStatistics.FromValues(f.Select(m => m.TopKAccuracy));
        }
    }

    /// <summary>The metrics of each fold, in fold order.</summary>
    public IReadOnlyList<MulticlassClassificationMetrics> Folds { get; }

    /// <summary>The classification report of each fold, in fold order.</summary>
    public IReadOnlyList<ClassificationReport> Reports { get; }

    /// <summary>Number of folds.</summary>
    public int FoldCount => Folds.Count;

    /// <summary>Accuracy (ML.NET's <see cref="MulticlassClassificationMetrics.MicroAccuracy"/>).</summary>
    public FoldStatistics MicroAccuracy { get; }

    /// <summary>Mean per-class recall (ML.NET's <see cref="MulticlassClassificationMetrics.MacroAccuracy"/>).</summary>
    public FoldStatistics MacroAccuracy { get; }

    /// <summary>ML.NET's <see cref="MulticlassClassificationMetrics.LogLoss"/>.</summary>
    public FoldStatistics LogLoss { get; }

    /// <summary>ML.NET's <see cref="MulticlassClassificationMetrics.LogLossReduction"/>.</summary>
    public FoldStatistics LogLossReduction { get; }

    /// <summary>Macro-averaged F1 score, from each fold's <see cref="ClassificationReport"/>.</summary>
    public FoldStatistics MacroF1 { get; }

    /// <summary>Support-weighted F1 score, from each fold's <see cref="ClassificationReport"/>.</summary>
    public FoldStatistics WeightedF1 { get; }

    /// <summary>The K of <see cref="TopKAccuracy"/>; 0 when the folds were evaluated without (the same) top-K.</summary>
    public int TopKPredictionCount { get; }

    /// <summary>Top-K accuracy; <see langword="null"/> unless every fold was evaluated with the same positive K.</summary>
    public FoldStatistics? TopKAccuracy { get; }

    /// <summary>The summarized metrics with their names, in table order.</summary>
    public IReadOnlyList<KeyValuePair<string, FoldStatistics>> Metrics
    {
        get
        {
            var rows = new List<KeyValuePair<string, FoldStatistics>>
            {
                new("MicroAccuracy", MicroAccuracy),
                new("MacroAccuracy", MacroAccuracy),
                new("LogLoss", LogLoss),
                new("LogLossReduction", LogLossReduction),
            };
            if (TopKAccuracy is not null)
                rows.Add(new($"Top{TopKPredictionCount.ToString(CultureInfo.InvariantCulture)}Accuracy", TopKAccuracy));
            rows.Add(new("MacroF1", MacroF1));
            rows.Add(new("WeightedF1", WeightedF1));
            return rows;
        }
    }

    /// <summary>A table: metric, mean ± population standard deviation, and the value of each fold (four decimals, invariant culture).</summary>
    public override string ToString()
    {
        IReadOnlyList<KeyValuePair<string, FoldStatistics>> rows = Metrics;
        int nameWidth = Math.Max("metric".Length, rows.Max(r => r.Key.Length));
        string[] summaries = rows.Select(r => r.Value.ToString()).ToArray();
        int summaryWidth = Math.Max("mean ± std".Length, summaries.Max(s => s.Length));
        string[][] foldValues = rows
            .Select(r => r.Value.Values.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        int foldWidth = Math.Max(6, foldValues.SelectMany(v => v).Max(s => s.Length));

        var text = new StringBuilder();
        text.Append("metric".PadRight(nameWidth)).Append("  ").Append("mean ± std".PadRight(summaryWidth));
        for (int i = 0; i < FoldCount; i++)
            text.Append("  ").Append(("fold " + (i + 1).ToString(CultureInfo.InvariantCulture)).PadLeft(foldWidth));
        text.Append('\n');
        for (int r = 0; r < rows.Count; r++)
        {
            text.Append(rows[r].Key.PadRight(nameWidth)).Append("  ").Append(summaries[r].PadRight(summaryWidth));
            foreach (string v in foldValues[r])
                text.Append("  ").Append(v.PadLeft(foldWidth));
            text.Append('\n');
        }
        return text.ToString();
    }
}
