using System.Globalization;

namespace MnistMl.Evaluation;

/// <summary>
/// Computes <see cref="MulticlassClassificationMetrics"/> from class probabilities and true labels (the arithmetic
/// of ML.NET's MulticlassClassification.Evaluate, on plain arrays). Definitions are on the metrics' members.
/// </summary>
public static class MulticlassMetricsCalculator
{
    /// <summary>The smallest probability log-loss uses (ML.NET's epsilon and scikit-learn's former default eps).</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>
    /// Evaluates <paramref name="probabilities"/>, N rows × <paramref name="classCount"/> classes in row-major order,
    /// against <paramref name="labels"/> (N class indices 0 … classCount − 1). The scores are used as given: they
    /// should be probabilities (softmax outputs), since log-loss reads the true class's score and no row is
    /// renormalized.
    /// </summary>
    /// <param name="probabilities">Row r's probabilities are elements r·classCount … (r + 1)·classCount − 1.</param>
    /// <param name="labels">The true class index of each row.</param>
    /// <param name="classCount">The number of classes, C.</param>
    /// <param name="topKPredictionCount">The k of TopKAccuracy (1 … classCount); TopKAccuracyForAllK covers 1 … k.</param>
    /// <param name="classNames">Names for the confusion table, one per class; "0", "1", … when null.</param>
    public static MulticlassClassificationMetrics Compute(ReadOnlySpan<float> probabilities, ReadOnlySpan<long> labels,
        int classCount, int topKPredictionCount = 5, IReadOnlyList<string>? classNames = null)
    {
        if (classCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "There must be at least one class.");
        if (topKPredictionCount < 1 || topKPredictionCount > classCount)
            throw new ArgumentOutOfRangeException(nameof(topKPredictionCount), topKPredictionCount,
                $"Top-k accuracy needs k between 1 and the number of classes ({classCount}).");
        if (classNames is not null && classNames.Count != classCount)
            throw new ArgumentException($"{classNames.Count} class names were given for {classCount} classes.", nameof(classNames));
        if (labels.Length == 0)
            throw new ArgumentException("There are no rows to evaluate.", nameof(labels));
        long expected = (long)labels.Length * classCount;
        if (probabilities.Length != expected)
            throw new ArgumentException(
                $"{labels.Length} rows of {classCount} classes need {expected} probabilities; {probabilities.Length} were given.", nameof(probabilities));
        for (int row = 0; row < labels.Length; row++)
        {
            if (labels[row] < 0 || labels[row] >= classCount)
                throw new ArgumentException($"Row {row} has label {labels[row]}, outside the class indices 0 … {classCount - 1}.", nameof(labels));
        }

        int rows = labels.Length;
        var counts = new long[classCount, classCount];
        var rowsOfClass = new long[classCount];
        var logLossOfClass = new double[classCount];
        var hitsAtRank = new long[topKPredictionCount];
        double totalLogLoss = 0;
        for (int row = 0; row < rows; row++)
        {
            var scores = probabilities.Slice(row * classCount, classCount);
            int label = (int)labels[row];
            float truth = scores[label];
            int predicted = 0, rank = 0;
            for (int c = 0; c < classCount; c++)
            {
                float score = scores[c];
                if (!float.IsFinite(score))
                    throw new ArgumentException($"Row {row}, class {c}: the probability is {score.ToString(CultureInfo.InvariantCulture)}.", nameof(probabilities));
                // Strict comparisons: the first of equal scores wins, for the prediction and for the true class's rank.
                if (score > scores[predicted]) predicted = c;
                if (score > truth || (score == truth && c < label)) rank++;
            }
            counts[label, predicted]++;
            if (rank < topKPredictionCount) hitsAtRank[rank]++;
            double loss = -Math.Log(Math.Clamp((double)truth, LogLossEpsilon, 1 - LogLossEpsilon));
            totalLogLoss += loss;
            logLossOfClass[label] += loss;
            rowsOfClass[label]++;
        }

        double logLoss = totalLogLoss / rows;
        // The prior's log-loss: every row gets the label frequencies f, so its mean −ln f[label] is the entropy of f.
        double priorLogLoss = 0;
        foreach (var n in rowsOfClass)
        {
            if (n == 0) continue;
            double frequency = (double)n / rows;
            priorLogLoss -= frequency * Math.Log(frequency);
        }
        double logLossReduction = priorLogLoss > 0 ? 1 - logLoss / priorLogLoss : double.NaN;
        var perClassLogLoss = new double[classCount];
        for (int c = 0; c < classCount; c++) perClassLogLoss[c] = rowsOfClass[c] > 0 ? logLossOfClass[c] / rowsOfClass[c] : 0;
        var topK = new double[topKPredictionCount];
        long hits = 0;
        for (int k = 0; k < topKPredictionCount; k++)
        {
            hits += hitsAtRank[k];
            topK[k] = (double)hits / rows;
        }

        var names = classNames ?? Enumerable.Range(0, classCount).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new MulticlassClassificationMetrics(new ConfusionMatrix(counts, names), logLoss, logLossReduction, perClassLogLoss, topK);
    }
}
