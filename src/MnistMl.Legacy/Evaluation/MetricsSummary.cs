namespace MnistMl.Evaluation;

/// <summary>Summaries of metrics over several evaluations, such as the folds of a cross-validation.</summary>
public static class MetricsSummary
{
    /// <summary>
    /// The mean and standard deviation (population, as numpy's np.std; see <see cref="MetricStatistics"/>) of each
    /// headline metric over <paramref name="folds"/>. All folds must use the same top-k.
    /// </summary>
    public static CrossValidationMetrics Summarize(IReadOnlyList<MulticlassClassificationMetrics> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (folds.Count == 0) throw new ArgumentException("At least one fold is needed.", nameof(folds));
        for (int f = 0; f < folds.Count; f++)
        {
            if (folds[f] is null) throw new ArgumentException($"Fold {f} is null.", nameof(folds));
            if (folds[f].TopKPredictionCount != folds[0].TopKPredictionCount)
                throw new ArgumentException(
                    $"Fold {f} has top-{folds[f].TopKPredictionCount} accuracy and fold 0 top-{folds[0].TopKPredictionCount}; their mean would mix two metrics.",
                    nameof(folds));
        }
        return new CrossValidationMetrics(folds);
    }
}
