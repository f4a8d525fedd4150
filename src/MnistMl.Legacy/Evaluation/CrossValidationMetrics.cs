using System.Globalization;
using System.Text;

namespace MnistMl.Evaluation;

/// <summary>
/// Multiclass metrics over cross-validation folds (ML.NET's MulticlassClassificationMetricsStatistics plus the folds
/// themselves): the mean and standard deviation of the headline metrics, made by <see cref="MetricsSummary.Summarize"/>.
/// </summary>
public sealed class CrossValidationMetrics
{
    internal CrossValidationMetrics(IReadOnlyList<MulticlassClassificationMetrics> folds)
    {
        Folds = Array.AsReadOnly(folds.ToArray());
        TopKPredictionCount = folds[0].TopKPredictionCount;
        MicroAccuracy = new(folds.Select(f => f.MicroAccuracy));
        MacroAccuracy = new(folds.Select(f => f.MacroAccuracy));
        LogLoss = new(folds.Select(f => f.LogLoss));
        LogLossReduction = new(folds.Select(f => f.LogLossReduction));
        TopKAccuracy = new(folds.Select(f => f.TopKAccuracy));
        MacroF1 = new(folds.Select(f => f.MacroF1));
        WeightedF1 = new(folds.Select(f => f.WeightedF1));
    }

    /// <summary>The metrics of each fold, in the order given.</summary>
    public IReadOnlyList<MulticlassClassificationMetrics> Folds { get; }

    /// <summary>The k of every fold's TopKAccuracy.</summary>
    public int TopKPredictionCount { get; }

    public MetricStatistics MicroAccuracy { get; }
    public MetricStatistics MacroAccuracy { get; }
    public MetricStatistics LogLoss { get; }

    /// <summary>Each fold's reduction is relative to that fold's own label frequencies.</summary>
    public MetricStatistics LogLossReduction { get; }

    public MetricStatistics TopKAccuracy { get; }
    public MetricStatistics MacroF1 { get; }
    public MetricStatistics WeightedF1 { get; }

    /// <summary>One line per metric, "MicroAccuracy 0.9812 ± 0.0021" (mean ± population standard deviation).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Cross-validation over {Folds.Count} folds (mean ± population standard deviation)");
        void Line(string name, MetricStatistics statistics) => text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-22}{statistics}");
        Line("MicroAccuracy", MicroAccuracy);
        Line("MacroAccuracy", MacroAccuracy);
        Line($"TopKAccuracy (k={TopKPredictionCount})", TopKAccuracy);
        Line("LogLoss", LogLoss);
        Line("LogLossReduction", LogLossReduction);
        Line("MacroF1", MacroF1);
        Line("WeightedF1", WeightedF1);
        return text.ToString();
    }
}
