using MnistMl.Evaluation;

namespace MnistMl.Tests;

/// <summary>Compares a <see cref="ClassificationReport"/> with a scikit-learn reference case.</summary>
internal static class ReportAssert
{
    public const double Tolerance = 1e-12;

    public static void MatchesReference(ReferenceCase expected, ClassificationReport report)
    {
        Assert.AreEqual(expected.ClassCount, report.ClassCount);
        for (int i = 0; i < expected.ClassCount; i++)
        {
            ClassMetrics c = report.Classes[i];
            string at = $"{expected.Name}, class {i}";
            Assert.AreEqual(expected.Precision[i], c.Precision, Tolerance, at + " precision");
            Assert.AreEqual(expected.Recall[i], c.Recall, Tolerance, at + " recall");
            Assert.AreEqual(expected.F1[i], c.F1Score, Tolerance, at + " F1");
            Assert.AreEqual(expected.Support[i], c.Support, at + " support");
            Assert.AreEqual(expected.TargetNames?[i] ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name);
        }
        Average(expected.Name + " micro", expected.Micro, expected.Support.Sum(), report.MicroAverage);
        Average(expected.Name + " macro", expected.Macro, expected.Support.Sum(), report.MacroAverage);
        Average(expected.Name + " weighted", expected.Weighted, expected.Support.Sum(), report.WeightedAverage);
        Assert.AreEqual(expected.Micro[1], report.Accuracy, Tolerance, expected.Name + " accuracy");
    }

    private static void Average(string at, double[] expected, int support, AverageMetrics actual)
    {
        Assert.AreEqual(expected[0], actual.Precision, Tolerance, at + " precision");
        Assert.AreEqual(expected[1], actual.Recall, Tolerance, at + " recall");
        Assert.AreEqual(expected[2], actual.F1Score, Tolerance, at + " F1");
        Assert.AreEqual(support, actual.Support, at + " support");
    }
}
