using System.Globalization;
using System.Text;

namespace MnistMl.Evaluation;

/// <summary>
/// Evaluation results of a multiclass classifier (ML.NET's MulticlassClassificationMetrics), with scikit-learn's
/// precision/recall/F1 averages added. Made by <see cref="MulticlassMetricsCalculator.Compute"/>; every value is a
/// double computed from float32 scores. The predicted class of a row is its highest score, ties going to the lower
/// class index (ML.NET's rule; numpy's argmax).
/// </summary>
/// <remarks>
/// Precision, recall and F1 use scikit-learn's <c>zero_division=0</c> convention (see <see cref="Evaluation.ConfusionMatrix"/>),
/// and the macro and weighted averages run over all <see cref="ConfusionMatrix"/>.NumberOfClasses classes, as
/// scikit-learn's <c>precision_recall_fscore_support(..., labels=range(classCount))</c>; <see cref="MacroAccuracy"/>
/// instead averages over the classes present in the labels only.
/// </remarks>
public sealed class MulticlassClassificationMetrics
{
    internal MulticlassClassificationMetrics(ConfusionMatrix confusionMatrix, double logLoss, double logLossReduction,
        double[] perClassLogLoss, double[] topKAccuracyForAllK)
    {
        ConfusionMatrix = confusionMatrix;
        int classes = confusionMatrix.NumberOfClasses;
        long rows = confusionMatrix.RowCount;
        RowCount = rows;
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        PerClassLogLoss = Array.AsReadOnly(perClassLogLoss);
        TopKPredictionCount = topKAccuracyForAllK.Length;
        TopKAccuracyForAllK = Array.AsReadOnly(topKAccuracyForAllK);
        TopKAccuracy = topKAccuracyForAllK[^1];

        long correct = 0, present = 0;
        double recallOfPresent = 0;
        var f1 = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            correct += confusionMatrix.TruePositives(c);
            if (confusionMatrix.Support(c) > 0)
            {
                present++;
                recallOfPresent += confusionMatrix.PerClassRecall[c];
            }
            f1[c] = F1(confusionMatrix.PerClassPrecision[c], confusionMatrix.PerClassRecall[c]);
        }
        PerClassF1 = Array.AsReadOnly(f1);
        MicroAccuracy = (double)correct / rows;
        MacroAccuracy = recallOfPresent / present;

        MacroPrecision = PerClassPrecision.Average();
        MacroRecall = PerClassRecall.Average();
        MacroF1 = f1.Average();
        // Every row is predicted as exactly one class, so the summed predictions and the summed supports both equal
        // the row count, and the micro averages all equal MicroAccuracy; they are kept for scikit-learn users.
        MicroPrecision = ConfusionMatrix.Ratio(correct, Enumerable.Range(0, classes).Sum(c => confusionMatrix.PredictedCount(c)));
        MicroRecall = ConfusionMatrix.Ratio(correct, rows);
        MicroF1 = F1(MicroPrecision, MicroRecall);
        WeightedPrecision = Weighted(PerClassPrecision);
        WeightedRecall = Weighted(PerClassRecall);
        WeightedF1 = Weighted(f1);
    }

    /// <summary>The rows evaluated.</summary>
    public long RowCount { get; }

    /// <summary>The fraction of rows whose predicted class is the true class.</summary>
    public double MicroAccuracy { get; }

    /// <summary>
    /// The mean, over the classes present in the labels, of each class's accuracy (its recall: correct / rows of the
    /// class). ML.NET's definition; equal to scikit-learn's balanced_accuracy_score. Classes without rows are left out.
    /// </summary>
    public double MacroAccuracy { get; }

    /// <summary>
    /// The mean of −ln p over rows, p being the probability given to the row's true class, clipped to
    /// [1e-15, 1 − 1e-15]. Rows are not renormalized: scikit-learn 1.2's log_loss divides each clipped row by its sum,
    /// so the two agree (to rounding) for rows that sum to 1; for float32 softmax outputs, whose rows sum to 1 within a
    /// few 1e-7, they differ by about that much.
    /// </summary>
    public double LogLoss { get; }

    /// <summary>
    /// ML.NET's relative log-loss reduction, 1 − LogLoss / LogLoss(prior), where the prior predicts for every row the
    /// class frequencies of the evaluated labels, so LogLoss(prior) is the entropy −Σ f_c ln f_c of those
    /// frequencies. 1 is perfect, 0 no better than the prior, negative worse. NaN when the labels hold a single class
    /// (the prior's log-loss is then 0 and the ratio undefined).
    /// </summary>
    public double LogLossReduction { get; }

    /// <summary>The k of <see cref="TopKAccuracy"/>.</summary>
    public int TopKPredictionCount { get; }

    /// <summary>
    /// The fraction of rows whose true class is among the <see cref="TopKPredictionCount"/> highest scores. A class
    /// tied with the true class counts as ahead of it only when its index is lower (ML.NET's rule, consistent with
    /// the predicted class, so top-1 accuracy equals MicroAccuracy). scikit-learn's top_k_accuracy_score breaks ties
    /// the other way (the higher index first), so the two differ only on rows where the true class shares its score.
    /// </summary>
    public double TopKAccuracy { get; }

    /// <summary>Top-k accuracy for k = 1 … <see cref="TopKPredictionCount"/> (index k − 1).</summary>
    public IReadOnlyList<double> TopKAccuracyForAllK { get; }

    /// <summary>Per class: the mean −ln p of the rows labelled with that class, clipped as in LogLoss; 0 for a class without rows.</summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }

    public ConfusionMatrix ConfusionMatrix { get; }

    public IReadOnlyList<string> ClassNames => ConfusionMatrix.ClassNames;

    /// <summary>The confusion matrix's per-class precision (0 for a class never predicted).</summary>
    public IReadOnlyList<double> PerClassPrecision => ConfusionMatrix.PerClassPrecision;

    /// <summary>The confusion matrix's per-class recall (0 for a class absent from the labels).</summary>
    public IReadOnlyList<double> PerClassRecall => ConfusionMatrix.PerClassRecall;

    /// <summary>Per class: 2·precision·recall / (precision + recall), 0 when both are 0.</summary>
    public IReadOnlyList<double> PerClassF1 { get; }

    /// <summary>Unweighted mean of the per-class precisions over all classes.</summary>
    public double MacroPrecision { get; }

    /// <summary>Unweighted mean of the per-class recalls over all classes (absent classes count as 0, unlike MacroAccuracy).</summary>
    public double MacroRecall { get; }

    /// <summary>Unweighted mean of the per-class F1 scores over all classes (not the F1 of MacroPrecision and MacroRecall).</summary>
    public double MacroF1 { get; }

    /// <summary>Correct predictions / all predictions: equal to MicroAccuracy for single-label data.</summary>
    public double MicroPrecision { get; }

    /// <summary>Correct predictions / all rows: equal to MicroAccuracy.</summary>
    public double MicroRecall { get; }

    /// <summary>F1 of MicroPrecision and MicroRecall: equal to MicroAccuracy.</summary>
    public double MicroF1 { get; }

    /// <summary>Per-class precisions averaged with the classes' row counts as weights.</summary>
    public double WeightedPrecision { get; }

    /// <summary>Per-class recalls averaged with the classes' row counts as weights (equal to MicroAccuracy).</summary>
    public double WeightedRecall { get; }

    /// <summary>Per-class F1 scores averaged with the classes' row counts as weights.</summary>
    public double WeightedF1 { get; }

    private static double F1(double precision, double recall) =>
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);

    private double Weighted(IReadOnlyList<double> perClass)
    {
        double sum = 0;
        for (int c = 0; c < perClass.Count; c++) sum += perClass[c] * ConfusionMatrix.Support(c);
        return sum / RowCount;
    }

    /// <summary>The headline metrics, one per line, then the confusion table.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"Multiclass classification metrics: {RowCount} rows, {ConfusionMatrix.NumberOfClasses} classes");
        void Line(string name, double value) => text.AppendLine(inv, $"  {name,-22}{value:0.0000}");
        Line("MicroAccuracy", MicroAccuracy);
        Line("MacroAccuracy", MacroAccuracy);
        Line($"TopKAccuracy (k={TopKPredictionCount})", TopKAccuracy);
        Line("LogLoss", LogLoss);
        Line("LogLossReduction", LogLossReduction);
        Line("MacroF1", MacroF1);
        Line("WeightedF1", WeightedF1);
        text.AppendLine();
        text.Append(ConfusionMatrix.GetFormattedConfusionTable());
        return text.ToString();
    }
}
