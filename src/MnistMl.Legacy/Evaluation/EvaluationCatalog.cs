using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Transforms;

namespace MnistMl.Evaluation;

/// <summary>Evaluators (ML.NET's mlContext.MulticlassClassification.Evaluate and CrossValidate).</summary>
public sealed class EvaluationCatalog
{
    private readonly MLContext context;

    internal EvaluationCatalog(MLContext context) => this.context = context;

    /// <summary>
    /// ML.NET's multiclass metrics (plus F1) of scored data: the label column (a key) against the score column
    /// (class probabilities, as a trained model's Transform adds them).
    /// </summary>
    public MulticlassClassificationMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score", int topKPredictionCount = 3)
    {
        var label = data.Schema[labelColumnName];
        var score = data.Schema[scoreColumnName];
        if (!label.Type.IsKey) throw new ArgumentException($"Label column '{labelColumnName}' is {label.Type}, not a key (class) column.", nameof(labelColumnName));
        int classes = label.Type.KeyCount!.Value;
        if (score.Type.Dimensions is not [var width] || width != classes || score.Type.ElementType != ScalarType.Float32)
            throw new ArgumentException($"Score column '{scoreColumnName}' is {score.Type}; float[{classes}] probabilities are needed.", nameof(scoreColumnName));
        var probabilities = new float[data.RowCount * classes];
        var labels = new long[data.RowCount];
        long row = 0;
        foreach (var batch in data.GetBatches(1024, [labelColumnName, scoreColumnName]))
        {
            int n = (int)batch.RowCount;
            batch[scoreColumnName].CopyTo<float>(probabilities.AsSpan((int)(row * classes), n * classes));
            batch[labelColumnName].CopyTo<long>(labels.AsSpan((int)row, n));
            row += n;
        }
        return MulticlassMetricsCalculator.Compute(probabilities, labels, classes, Math.Min(topKPredictionCount, classes), label.KeyValues);
    }

    /// <summary>
    /// k-fold cross-validation of a whole pipeline (transforms and trainer): each fold is fitted on the other folds
    /// and evaluated on itself; returns each fold's metrics and their mean ± std (seed 002's cv=3).
    /// </summary>
    public CrossValidationMetrics CrossValidate(IDataView data, IEstimator<ITransformer> estimator, int numberOfFolds = 5,
        string labelColumnName = "Label", int? seed = null, int topKPredictionCount = 3)
    {
        var folds = context.Data.CrossValidationSplit(data, numberOfFolds, seed, stratify: true, labelColumnName);
        var metrics = new List<MulticlassClassificationMetrics>();
        foreach (var fold in folds)
        {
            var model = estimator.Fit(fold.TrainSet);
            try
            {
                metrics.Add(Evaluate(model.Transform(fold.TestSet), labelColumnName, topKPredictionCount: topKPredictionCount));
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
        }
        return MetricsSummary.Summarize(metrics);
    }
}
