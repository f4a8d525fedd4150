using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Evaluation;
// Microsoft.ML.Data has a FoldStatistics of its own (permutation feature importance).

namespace MnistMl.Tests;

/// <summary>
/// <see cref="CrossValidationSummary"/> and <see cref="FoldStatistics"/> against numpy (np.mean, np.std,
/// np.std(ddof=1)) and scikit-learn, as printed by tests/reference/report_reference.py.
/// </summary>
[TestClass]
public sealed class CrossValidationSummaryTests
{
    [TestMethod]
    public void StatisticsMatchNumpy()
    {
        var stats = FoldStatistics.FromValues(ReferenceData.FoldValues);
        Assert.AreEqual(5, stats.Count);
        Assert.AreEqual(ReferenceData.FoldMean, stats.Mean, 1e-12);
        Assert.AreEqual(ReferenceData.FoldStd, stats.StandardDeviation, 1e-12);
        Assert.AreEqual(ReferenceData.FoldSampleStd, stats.SampleStandardDeviation, 1e-12);
        CollectionAssert.AreEqual(ReferenceData.FoldValues, stats.Values.ToArray());
    }

    [TestMethod]
    public void ToStringIsMeanPlusMinusStdInInvariantCulture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // a decimal comma must not leak in
            Assert.AreEqual("0.9803 ± 0.0020", FoldStatistics.FromValues(ReferenceData.FoldValues).ToString());
            Assert.AreEqual("0.98 ± 0.00", FoldStatistics.FromValues(ReferenceData.FoldValues).Format(2));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [TestMethod]
    public void DegenerateCounts()
    {
        var one = FoldStatistics.FromValues([0.5]);
        Assert.AreEqual(0.5, one.Mean);
        Assert.AreEqual(0.0, one.StandardDeviation);
        Assert.IsTrue(double.IsNaN(one.SampleStandardDeviation));
        Assert.IsTrue(double.IsNaN(FoldStatistics.FromValues([]).Mean));
    }

    [TestMethod]
    public void SummaryOfEvaluatedFoldsMatchesScikitLearnAndNumpy()
    {
        var ml = new MLContext(seed: 1);
        MulticlassClassificationMetrics[] folds = ReferenceData.FoldYTrue
            .Select((yTrue, i) => ml.MulticlassClassification.Evaluate(ScoredData.Create(ml, yTrue, ReferenceData.FoldYPred[i], 3)))
            .ToArray();

        CrossValidationSummary summary = folds.Summarize();
        Assert.AreEqual(3, summary.FoldCount);
        AssertStats(ReferenceData.FoldAccuracy, ReferenceData.FoldAccuracyStats, summary.MicroAccuracy, 1e-12);
        AssertStats(ReferenceData.FoldMacroF1, ReferenceData.FoldMacroF1Stats, summary.MacroF1, 1e-12);
        AssertStats(ReferenceData.FoldWeightedF1, ReferenceData.FoldWeightedF1Stats, summary.WeightedF1, 1e-12);
        // ML.NET's log-loss is the natural-log -mean(log p(true)) of the (float) scores, without renormalizing.
        AssertStats(ReferenceData.FoldLogLoss, ReferenceData.FoldLogLossStats, summary.LogLoss, 1e-9);
        Assert.IsNull(summary.TopKAccuracy);
        Assert.AreEqual(0, summary.TopKPredictionCount);

        string table = summary.ToString();
        StringAssert.StartsWith(table, "metric");
        StringAssert.Contains(table, "MicroAccuracy     0.7192 ± 0.1320  0.5385  0.7692  0.8500");
        Assert.IsFalse(table.Contains("Top", StringComparison.Ordinal));
    }

    [TestMethod]
    public void TopKAccuracyIsSummarizedWhenEveryFoldHasIt()
    {
        var ml = new MLContext(seed: 1);
        MulticlassClassificationMetrics[] folds = ReferenceData.FoldYTrue
            .Select((yTrue, i) => ml.MulticlassClassification.Evaluate(
                ScoredData.Create(ml, yTrue, ReferenceData.FoldYPred[i], 3), topKPredictionCount: 1))
            .ToArray();

        CrossValidationSummary summary = folds.Summarize();
        Assert.AreEqual(1, summary.TopKPredictionCount);
        Assert.IsNotNull(summary.TopKAccuracy);
        AssertStats(ReferenceData.FoldAccuracy, ReferenceData.FoldAccuracyStats, summary.TopKAccuracy, 1e-12);
        StringAssert.Contains(summary.ToString(), "Top1Accuracy");
    }

    [TestMethod]
    public void SummarizesCrossValidateResults()
    {
        var ml = new MLContext(seed: 7);
        var random = new Random(7);
        // Three separable-ish blobs in 2-D.
        var rows = Enumerable.Range(0, 150).Select(i =>
        {
            int c = i % 3;
            return new TrainingRow
            {
                Label = ((char)('a' + c)).ToString(),
                Features = [c * 2f + (float)random.NextDouble(), (c % 2) * 2f + (float)random.NextDouble()],
            };
        }).ToArray();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());

        var results = ml.MulticlassClassification.CrossValidate(data, pipeline, numberOfFolds: 3, seed: 7);
        CrossValidationSummary summary = results.Summarize();

        Assert.AreEqual(3, summary.FoldCount);
        double[] accuracies = results.OrderBy(r => r.Fold).Select(r => r.Metrics.MicroAccuracy).ToArray();
        CollectionAssert.AreEqual(accuracies, summary.MicroAccuracy.Values.ToArray());
        Assert.AreEqual(accuracies.Average(), summary.MicroAccuracy.Mean, 1e-12);
        for (int f = 0; f < 3; f++)
        {
            // The report's accuracy is the ML.NET fold's MicroAccuracy.
            Assert.AreEqual(summary.Folds[f].MicroAccuracy, summary.Reports[f].Accuracy, 1e-12);
        }
        Assert.IsNull(summary.TopKAccuracy);
        CollectionAssert.AreEqual(new[] { "a", "b", "c" },
            results[0].ScoredHoldOutSet.Schema["Label"].GetClassNames().ToArray());
    }

    private static void AssertStats(double[] values, double[] stats, FoldStatistics actual, double tolerance)
    {
        Assert.AreEqual(values.Length, actual.Count);
        for (int i = 0; i < values.Length; i++)
            Assert.AreEqual(values[i], actual.Values[i], tolerance, $"fold {i}");
        Assert.AreEqual(stats[0], actual.Mean, tolerance, "mean");
        Assert.AreEqual(stats[1], actual.StandardDeviation, tolerance, "std");
        Assert.AreEqual(stats[2], actual.SampleStandardDeviation, tolerance, "sample std");
    }

    private sealed class TrainingRow
    {
        public string Label { get; set; } = "";

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }
}
