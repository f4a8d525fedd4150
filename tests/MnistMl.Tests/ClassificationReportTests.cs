using MnistMl.Evaluation;

namespace MnistMl.Tests;

/// <summary>
/// <see cref="ClassificationReport"/> against scikit-learn 1.2: the expected numbers and texts in
/// <see cref="ReferenceData"/> were printed by tests/reference/report_reference.py
/// (precision_recall_fscore_support and classification_report with labels=range(k), zero_division="warn").
/// </summary>
[TestClass]
public sealed class ClassificationReportTests
{
    public static IEnumerable<object[]> Cases => ReferenceCase.Names.Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void MetricsFromCountsMatchScikitLearn(string name)
    {
        ReferenceCase expected = ReferenceCase.Get(name);
        ReportAssert.MatchesReference(expected, new ClassificationReport(expected.Counts, expected.TargetNames));
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void FromPredictionsBuildsScikitLearnsConfusionMatrix(string name)
    {
        ReferenceCase expected = ReferenceCase.Get(name);
        var report = ClassificationReport.FromPredictions(expected.YTrue, expected.YPred, expected.ClassCount, expected.TargetNames);
        for (int t = 0; t < expected.ClassCount; t++)
            CollectionAssert.AreEqual(expected.Counts[t], report.Counts[t].ToArray(), $"row {t}");
        ReportAssert.MatchesReference(expected, report);
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void TextEqualsClassificationReport(string name)
    {
        ReferenceCase expected = ReferenceCase.Get(name);
        var report = new ClassificationReport(expected.Counts, expected.TargetNames);
        Assert.AreEqual(expected.Text2, report.Format(2));
        Assert.AreEqual(expected.Text4, report.Format(4));
        Assert.AreEqual(expected.Text2, report.ToString());
    }

    [TestMethod]
    public void NeverPredictedClassHasZeroPrecisionAndF1()
    {
        var report = new ClassificationReport(ReferenceData.ZeroDivision.Counts, ReferenceData.ZeroDivision.TargetNames);
        ClassMetrics bird = report.Classes[2];
        Assert.AreEqual("bird", bird.Name);
        Assert.AreEqual(0.0, bird.Precision);
        Assert.AreEqual(0.0, bird.Recall);
        Assert.AreEqual(0.0, bird.F1Score);
        Assert.AreEqual(3.0, bird.Support);
    }

    [TestMethod]
    public void ExactTiesRoundHalfToEvenLikePython()
    {
        // Precision 1/8 and 10/16, recall 3/8 are exact binary ties; Python prints 0.12, 0.62, 0.38.
        string text = new ClassificationReport(ReferenceData.Imbalanced.Counts, ReferenceData.Imbalanced.TargetNames).Format(2);
        StringAssert.Contains(text, "rare       0.12");
        StringAssert.Contains(text, "a_rather_long_class_name       0.62");
        StringAssert.Contains(text, "x       0.50      0.38");
    }

    [TestMethod]
    public void AccuracyRowUnlessAClassNeverOccurs()
    {
        var all = new ClassificationReport(ReferenceData.Random10.Counts);
        Assert.IsTrue(all.MicroAverageIsAccuracy);
        StringAssert.Contains(all.ToString(), "    accuracy ");
        Assert.IsFalse(all.ToString().Contains("micro avg", StringComparison.Ordinal));

        var absent = new ClassificationReport(ReferenceData.AbsentClass.Counts);
        Assert.IsFalse(absent.MicroAverageIsAccuracy);
        StringAssert.Contains(absent.ToString(), "   micro avg ");
    }

    [TestMethod]
    public void MicroPrecisionAndRecallAreAccuracy()
    {
        var report = new ClassificationReport(ReferenceData.Imbalanced.Counts);
        Assert.AreEqual(report.Accuracy, report.MicroAverage.Precision);
        Assert.AreEqual(report.Accuracy, report.MicroAverage.Recall);
        // scikit-learn's F1 formula: one ulp above the accuracy in this case, kept for bit-exact agreement.
        Assert.AreEqual(ReferenceData.Imbalanced.Micro[2], report.MicroAverage.F1Score);
    }

    [TestMethod]
    public void EmptyMatrixGivesZeros()
    {
        var report = new ClassificationReport([[0.0, 0.0], [0.0, 0.0]]);
        Assert.AreEqual(0.0, report.Accuracy);
        Assert.AreEqual(new AverageMetrics(0, 0, 0, 0), report.WeightedAverage);
        Assert.AreEqual(new AverageMetrics(0, 0, 0, 0), report.MacroAverage);
    }

    [TestMethod]
    public void InvalidInputsThrow()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new ClassificationReport([[1.0, 2.0], [3.0]]));
        Assert.ThrowsExactly<ArgumentException>(() => new ClassificationReport([[1.0, -2.0], [3.0, 4.0]]));
        Assert.ThrowsExactly<ArgumentException>(() => new ClassificationReport([[1.0, 2.0], [3.0, 4.0]], ["only one"]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ClassificationReport.FromPredictions([0, 2], [0, 1], 2));
    }
}
