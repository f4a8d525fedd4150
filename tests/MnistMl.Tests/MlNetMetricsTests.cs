using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Evaluation;

namespace MnistMl.Tests;

/// <summary>
/// Reports built from real ML.NET evaluations agree with scikit-learn (values printed by
/// tests/reference/report_reference.py) for the argmax predictions, which pins the orientation of
/// <see cref="ConfusionMatrix.Counts"/>: rows are true classes, columns predicted classes.
/// </summary>
[TestClass]
public sealed class MlNetMetricsTests
{
    public static IEnumerable<object[]> Cases => ReferenceCase.Names.Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void ReportFromEvaluateMatchesScikitLearn(string name)
    {
        ReferenceCase expected = ReferenceCase.Get(name);
        var ml = new MLContext(seed: 1);
        IDataView scored = ScoredData.Create(ml, expected.YTrue, expected.YPred, expected.ClassCount);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);

        // Rows are true classes, columns predicted: sklearn's confusion_matrix has the same layout.
        Assert.AreEqual(expected.ClassCount, metrics.ConfusionMatrix.Counts.Count);
        for (int t = 0; t < expected.ClassCount; t++)
            CollectionAssert.AreEqual(expected.Counts[t], metrics.ConfusionMatrix.Counts[t].ToArray(), $"row {t}");

        ClassificationReport report = metrics.GetClassificationReport(expected.TargetNames);
        ReportAssert.MatchesReference(expected, report);
        Assert.AreEqual(expected.Text2, report.ToString());
        Assert.AreEqual(expected.Micro[1], metrics.MicroAccuracy, ReportAssert.Tolerance);

        // ML.NET's own per-class precision and recall agree (it also turns 0/0 into 0).
        for (int i = 0; i < expected.ClassCount; i++)
        {
            Assert.AreEqual(expected.Precision[i], metrics.ConfusionMatrix.PerClassPrecision[i], ReportAssert.Tolerance, $"precision {i}");
            Assert.AreEqual(expected.Recall[i], metrics.ConfusionMatrix.PerClassRecall[i], ReportAssert.Tolerance, $"recall {i}");
        }
        ReportAssert.MatchesReference(expected, metrics.ConfusionMatrix.GetClassificationReport(expected.TargetNames));
    }

    [TestMethod]
    public void TopKAccuracyIsZeroWhenNotRequested()
    {
        var ml = new MLContext(seed: 1);
        IDataView scored = ScoredData.Create(ml, ReferenceData.Random10.YTrue, ReferenceData.Random10.YPred, 10);

        MulticlassClassificationMetrics plain = ml.MulticlassClassification.Evaluate(scored);
        Assert.AreEqual(0, plain.TopKPredictionCount);
        Assert.AreEqual(0.0, plain.TopKAccuracy);

        MulticlassClassificationMetrics top1 = ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 1);
        Assert.AreEqual(1, top1.TopKPredictionCount);
        Assert.AreEqual(ReferenceData.Random10.Micro[1], top1.TopKAccuracy, ReportAssert.Tolerance);
    }

    [TestMethod]
    public void ClassNamesComeFromKeyValues()
    {
        var ml = new MLContext(seed: 1);
        string[] names = ReferenceData.ZeroDivision.TargetNames!;
        IDataView scored = ScoredData.Create(ml, ReferenceData.ZeroDivision.YTrue, ReferenceData.ZeroDivision.YPred, 3, names);

        CollectionAssert.AreEqual(names, scored.Schema["Label"].GetClassNames().ToArray());
        CollectionAssert.AreEqual(new[] { "0", "1", "2" }, scored.Schema["Score"].GetClassNames().ToArray());

        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
        ClassificationReport report = metrics.GetClassificationReport(scored.Schema["Label"].GetClassNames());
        Assert.AreEqual(ReferenceData.ZeroDivision.Text2, report.ToString());
    }

    [TestMethod]
    public void UnnamedKeyGetsIndexNames()
    {
        var ml = new MLContext(seed: 1);
        IDataView scored = ScoredData.Create(ml, [0, 1], [0, 1], 2);
        CollectionAssert.AreEqual(new[] { "0", "1" }, scored.Schema["Label"].GetClassNames().ToArray());

        IDataView plain = ml.Data.LoadFromEnumerable([new ScalarRow { Value = 1f }]);
        Assert.ThrowsExactly<ArgumentException>(() => plain.Schema["Value"].GetClassNames());
    }

    [TestMethod]
    public void LoadFromEnumerableStoresKeyMembersAsZeroBasedIndices()
    {
        // Pins the convention ScoredData relies on: member v -> raw key v + 1; CreateEnumerable gives raw keys back.
        var ml = new MLContext(seed: 1);
        IDataView scored = ScoredData.Create(ml, [0, 1, 2], [0, 1, 2], 3);
        using DataViewRowCursor cursor = scored.GetRowCursor(scored.Schema);
        ValueGetter<uint> label = cursor.GetGetter<uint>(scored.Schema["Label"]);
        var raw = new List<uint>();
        while (cursor.MoveNext())
        {
            uint value = 0;
            label(ref value);
            raw.Add(value);
        }
        CollectionAssert.AreEqual(new uint[] { 1, 2, 3 }, raw);
        CollectionAssert.AreEqual(new uint[] { 1, 2, 3 },
            ml.Data.CreateEnumerable<ScoredData.Row>(scored, reuseRowObject: false).Select(r => r.Label).ToArray());
    }

    private sealed class ScalarRow
    {
        public float Value { get; set; }
    }
}
