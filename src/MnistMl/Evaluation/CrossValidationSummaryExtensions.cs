using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Evaluation;

// Catalog extensions live in the root namespace, as ML.NET's live in Microsoft.ML: `using MnistMl;` reaches them all.
namespace MnistMl;

/// <summary>Summarizes ML.NET cross-validation results.</summary>
public static class CrossValidationSummaryExtensions
{
    /// <summary>Summarizes what <c>MulticlassClassificationCatalog.CrossValidate</c> returned.</summary>
    /// <param name="results">One result per fold.</param>
    public static CrossValidationSummary Summarize(
        this IReadOnlyList<TrainCatalogBase.CrossValidationResult<MulticlassClassificationMetrics>> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        // CrossValidate returns the folds in order; keep that order by Fold in case a caller reordered them.
        return new CrossValidationSummary(results.OrderBy(r => r.Fold).Select(r => r.Metrics));
    }

    /// <summary>Summarizes one evaluation per fold.</summary>
    /// <param name="folds">The metrics of each fold, in fold order.</param>
    public static CrossValidationSummary Summarize(this IEnumerable<MulticlassClassificationMetrics> folds) =>
        new(folds);
}
