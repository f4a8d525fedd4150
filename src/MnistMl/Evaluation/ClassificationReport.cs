using System.Globalization;
using System.Text;

namespace MnistMl.Evaluation;

/// <summary>
/// Per-class precision, recall, F1 score and support, with accuracy and micro, macro and weighted averages,
/// computed from a confusion matrix the way scikit-learn's <c>precision_recall_fscore_support</c>
/// (1.2, <c>zero_division="warn"</c>: a 0/0 counts as 0) computes them.
/// <see cref="Format"/> prints the same text as <c>classification_report</c>.
/// </summary>
public sealed class ClassificationReport
{
    // scikit-learn sizes the name column so that its longest row heading fits.
    private const string LongestAverageHeading = "weighted avg";

    private readonly double[][] _counts;

    /// <summary>Builds a report from a square confusion matrix.</summary>
    /// <param name="counts">Counts (or total weights), <c>counts[trueClass][predictedClass]</c>: rows are true classes, columns predicted ones.</param>
    /// <param name="classNames">One name per class; <see langword="null"/> names them "0", "1", ….</param>
    /// <exception cref="ArgumentException">The matrix is not square, holds a negative or non-finite count, or the names do not match the classes.</exception>
    public ClassificationReport(IReadOnlyList<IReadOnlyList<double>> counts, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = counts.Count;
        if (classNames is not null && classNames.Count != k)
            throw new ArgumentException($"Expected {k} class names, got {classNames.Count}.", nameof(classNames));

        _counts = new double[k][];
        for (int t = 0; t < k; t++)
        {
            IReadOnlyList<double> row = counts[t] ?? throw new ArgumentException($"Row {t} is null.", nameof(counts));
            if (row.Count != k)
                throw new ArgumentException($"The confusion matrix must be square: row {t} has {row.Count} entries, expected {k}.", nameof(counts));
            _counts[t] = new double[k];
            for (int p = 0; p < k; p++)
            {
                double c = row[p];
                if (!double.IsFinite(c) || c < 0)
                    throw new ArgumentException($"Count [{t}][{p}] = {c} is not a finite non-negative number.", nameof(counts));
                _counts[t][p] = c;
            }
        }

        var truePositives = new double[k];
        var trueSums = new double[k];
        var predictedSums = new double[k];
        for (int t = 0; t < k; t++)
        {
            truePositives[t] = _counts[t][t];
            for (int p = 0; p < k; p++)
            {
                trueSums[t] += _counts[t][p];
                predictedSums[p] += _counts[t][p];
            }
        }

        var classes = new ClassMetrics[k];
        var precisions = new double[k];
        var recalls = new double[k];
        var f1Scores = new double[k];
        for (int i = 0; i < k; i++)
        {
            precisions[i] = Divide(truePositives[i], predictedSums[i]);
            recalls[i] = Divide(truePositives[i], trueSums[i]);
            f1Scores[i] = F1(precisions[i], recalls[i]);
            string name = classNames?[i] ?? i.ToString(CultureInfo.InvariantCulture);
            classes[i] = new ClassMetrics(name, precisions[i], recalls[i], f1Scores[i], trueSums[i]);
        }
        Classes = classes;

        double total = trueSums.Sum();
        double correct = truePositives.Sum();
        TotalSupport = total;
        Accuracy = Divide(correct, total);

        // Micro: pool the counts first. Precision equals recall here (every example has one true and one predicted
        // class), but F1 goes through the same formula as scikit-learn and may differ from them in the last bit.
        double microPrecision = Divide(correct, predictedSums.Sum());
        double microRecall = Divide(correct, total);
        MicroAverage = new AverageMetrics(microPrecision, microRecall, F1(microPrecision, microRecall), total);

        MacroAverage = k == 0
            ? new AverageMetrics(0, 0, 0, total)
            : new AverageMetrics(precisions.Average(), recalls.Average(), f1Scores.Average(), total);

        // scikit-learn weights by support; with no examples at all it returns its zero_division value (0).
        WeightedAverage = total == 0
            ? new AverageMetrics(0, 0, 0, total)
            : new AverageMetrics(Weighted(precisions, trueSums, total), Weighted(recalls, trueSums, total),
                Weighted(f1Scores, trueSums, total), total);

        // classification_report prints "accuracy" instead of "micro avg" only when the labels it reports are exactly
        // the labels that occur in y_true or y_pred; a class that is neither true nor predicted turns it into "micro avg".
        bool everyClassOccurs = true;
        for (int i = 0; i < k; i++)
            everyClassOccurs &= trueSums[i] > 0 || predictedSums[i] > 0;
        MicroAverageIsAccuracy = everyClassOccurs;
    }

    /// <summary>Builds a report from paired true and predicted class indices.</summary>
    /// <param name="trueClasses">True class of each example, in <c>[0, classCount)</c>.</param>
    /// <param name="predictedClasses">Predicted class of each example, in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="classNames">One name per class; <see langword="null"/> names them "0", "1", ….</param>
    public static ClassificationReport FromPredictions(IReadOnlyList<int> trueClasses, IReadOnlyList<int> predictedClasses,
        int classCount, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(trueClasses);
        ArgumentNullException.ThrowIfNull(predictedClasses);
        ArgumentOutOfRangeException.ThrowIfNegative(classCount);
        if (trueClasses.Count != predictedClasses.Count)
            throw new ArgumentException($"{trueClasses.Count} true classes but {predictedClasses.Count} predictions.", nameof(predictedClasses));

        var counts = new double[classCount][];
        for (int i = 0; i < classCount; i++)
            counts[i] = new double[classCount];
        for (int i = 0; i < trueClasses.Count; i++)
        {
            int t = trueClasses[i], p = predictedClasses[i];
            if ((uint)t >= (uint)classCount || (uint)p >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(trueClasses), $"Example {i}: class {t} -> {p} is outside [0, {classCount}).");
            counts[t][p]++;
        }
        return new ClassificationReport(counts, classNames);
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount => _counts.Length;

    /// <summary>The confusion matrix the report was built from: rows are true classes, columns predicted ones.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Counts => _counts;

    /// <summary>Per-class metrics, in class order.</summary>
    public IReadOnlyList<ClassMetrics> Classes { get; }

    /// <summary>Correct predictions over all examples; 0 when there are none.</summary>
    public double Accuracy { get; }

    /// <summary>Number (or total weight) of examples.</summary>
    public double TotalSupport { get; }

    /// <summary>Micro average: metrics of the pooled counts. For single-label data precision = recall = accuracy.</summary>
    public AverageMetrics MicroAverage { get; }

    /// <summary>Macro average: unweighted mean of the per-class metrics (classes without examples count as 0).</summary>
    public AverageMetrics MacroAverage { get; }

    /// <summary>Weighted average: mean of the per-class metrics weighted by support.</summary>
    public AverageMetrics WeightedAverage { get; }

    /// <summary>
    /// Whether <see cref="Format"/> prints the micro average as an "accuracy" row (every class is true or predicted
    /// at least once) rather than as a "micro avg" row, following scikit-learn's rule.
    /// </summary>
    public bool MicroAverageIsAccuracy { get; }

    /// <summary>
    /// The text of scikit-learn's <c>classification_report(y_true, y_pred, labels=range(k), target_names=names, digits=digits)</c>.
    /// </summary>
    /// <param name="digits">Decimals of precision, recall and F1 score.</param>
    public string Format(int digits = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        int width = LongestAverageHeading.Length;
        foreach (ClassMetrics c in Classes)
            width = Math.Max(width, c.Name.Length);
        width = Math.Max(width, digits);

        var text = new StringBuilder();
        text.Append(' ', width).Append(' ');
        foreach (string header in (string[])["precision", "recall", "f1-score", "support"])
            text.Append(' ').Append(header.PadLeft(9));
        text.Append("\n\n");

        foreach (ClassMetrics c in Classes)
            AppendRow(text, c.Name, c.Precision, c.Recall, c.F1Score, c.Support, width, digits);
        text.Append('\n');

        if (MicroAverageIsAccuracy)
        {
            // scikit-learn's accuracy row leaves precision and recall blank and shows the micro F1 score.
            text.Append("accuracy".PadLeft(width)).Append(' ');
            text.Append(' ', 20);
            text.Append(' ').Append(PythonNumberFormat.Fixed(MicroAverage.F1Score, digits).PadLeft(9));
            text.Append(' ').Append(PythonNumberFormat.Count(MicroAverage.Support).PadLeft(9)).Append('\n');
        }
        else
        {
            AppendAverage(text, "micro avg", MicroAverage, width, digits);
        }
        AppendAverage(text, "macro avg", MacroAverage, width, digits);
        AppendAverage(text, "weighted avg", WeightedAverage, width, digits);
        return text.ToString();
    }

    /// <summary>The report as scikit-learn prints it with two decimals.</summary>
    public override string ToString() => Format(2);

    private static void AppendAverage(StringBuilder text, string heading, AverageMetrics a, int width, int digits) =>
        AppendRow(text, heading, a.Precision, a.Recall, a.F1Score, a.Support, width, digits);

    private static void AppendRow(StringBuilder text, string heading, double precision, double recall, double f1,
        double support, int width, int digits)
    {
        text.Append(heading.PadLeft(width)).Append(' ');
        text.Append(' ').Append(PythonNumberFormat.Fixed(precision, digits).PadLeft(9));
        text.Append(' ').Append(PythonNumberFormat.Fixed(recall, digits).PadLeft(9));
        text.Append(' ').Append(PythonNumberFormat.Fixed(f1, digits).PadLeft(9));
        text.Append(' ').Append(PythonNumberFormat.Count(support).PadLeft(9)).Append('\n');
    }

    // zero_division="warn" behaves as 0 (scikit-learn only adds a warning).
    private static double Divide(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    // scikit-learn 1.2: (1 + beta^2) * p * r / (beta^2 * p + r), with a zero denominator replaced by 1.
    private static double F1(double precision, double recall)
    {
        double denominator = precision + recall;
        return 2 * precision * recall / (denominator == 0 ? 1 : denominator);
    }

    // numpy.average(values, weights): sum(values * weights) / sum(weights).
    private static double Weighted(double[] values, double[] weights, double weightSum)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
            sum += values[i] * weights[i];
        return sum / weightSum;
    }
}
