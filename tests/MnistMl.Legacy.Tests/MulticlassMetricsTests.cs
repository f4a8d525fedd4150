using System.Text.RegularExpressions;
using MnistMl.Evaluation;

namespace MnistMl.Tests;

/// <summary>
/// Multiclass metrics against scikit-learn 1.2 (and numpy, for ML.NET's metrics scikit-learn lacks). The reference
/// values at the end of the class are printed by tests/reference/metrics_reference.py (run it with /usr/bin/python3;
/// --update rewrites them in place); <see cref="ReferenceCases"/> mirrors its input formulas.
/// Every probability there is a multiple of 2^-20 and every row sums to exactly 1, so float32 holds the inputs exactly,
/// scikit-learn's row renormalization in log_loss changes nothing, and all metrics agree to 1e-9 relative; the looser
/// 1e-6 that float32 softmax outputs would need (rows off 1 by ~1e-7) is not used anywhere.
/// </summary>
[TestClass]
public sealed class MulticlassMetricsTests
{
    private const double Tolerance = 1e-9;

    private static void Near(double expected, double actual, string what) =>
        Assert.IsTrue(Math.Abs(actual - expected) <= Tolerance * Math.Max(Math.Abs(expected), 1e-300) || actual == expected,
            $"{what}: expected {expected:R}, got {actual:R}");

    private static void Near(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.HasCount(expected.Count, actual, what);
        for (int i = 0; i < expected.Count; i++) Near(expected[i], actual[i], $"{what}[{i}]");
    }

    private static Expected Case(string name) => name switch
    {
        "A" => CaseA,
        "B" => CaseB,
        "C" => CaseC,
        "D" => CaseD,
        _ => throw new ArgumentException(name),
    };

    [TestMethod]
    [DataRow("A")]
    [DataRow("B")]
    [DataRow("C")]
    [DataRow("D")]
    public void MetricsMatchScikitLearn(string name)
    {
        var expected = Case(name);
        var (probabilities, labels, checksum) = ReferenceCases.Build(name);
        Assert.AreEqual(expected.ProbabilityChecksum, checksum, "the C# mirror of the script's probabilities");
        CollectionAssert.AreEqual(expected.Labels, labels, "the C# mirror of the script's labels");

        var m = MulticlassMetricsCalculator.Compute(probabilities, labels, expected.Classes, expected.TopK);

        Assert.AreEqual(expected.Classes, m.ConfusionMatrix.NumberOfClasses);
        Assert.AreEqual((long)labels.Length, m.RowCount);
        for (int t = 0; t < expected.Classes; t++)
            CollectionAssert.AreEqual(expected.Counts[t].Select(v => (double)v).ToArray(), m.ConfusionMatrix.Counts[t].ToArray(), $"confusion row {t}");
        Near(expected.PerClassPrecision, m.PerClassPrecision, "PerClassPrecision");
        Near(expected.PerClassRecall, m.PerClassRecall, "PerClassRecall");
        Near(expected.PerClassPrecision, m.ConfusionMatrix.PerClassPrecision, "ConfusionMatrix.PerClassPrecision");
        Near(expected.PerClassRecall, m.ConfusionMatrix.PerClassRecall, "ConfusionMatrix.PerClassRecall");
        Near(expected.PerClassF1, m.PerClassF1, "PerClassF1");
        Near(expected.PerClassLogLoss, m.PerClassLogLoss, "PerClassLogLoss");
        Near(expected.TopKAccuracyForAllK, m.TopKAccuracyForAllK, "TopKAccuracyForAllK");
        Assert.AreEqual(expected.TopK, m.TopKPredictionCount);
        Near(expected.MicroAccuracy, m.MicroAccuracy, "MicroAccuracy");
        Near(expected.MacroAccuracy, m.MacroAccuracy, "MacroAccuracy");
        Near(expected.LogLoss, m.LogLoss, "LogLoss");
        Near(expected.LogLossReduction, m.LogLossReduction, "LogLossReduction");
        Near(expected.TopKAccuracy, m.TopKAccuracy, "TopKAccuracy");
        Near(expected.MacroPrecision, m.MacroPrecision, "MacroPrecision");
        Near(expected.MacroRecall, m.MacroRecall, "MacroRecall");
        Near(expected.MacroF1, m.MacroF1, "MacroF1");
        Near(expected.MicroPrecision, m.MicroPrecision, "MicroPrecision");
        Near(expected.MicroRecall, m.MicroRecall, "MicroRecall");
        Near(expected.MicroF1, m.MicroF1, "MicroF1");
        Near(expected.WeightedPrecision, m.WeightedPrecision, "WeightedPrecision");
        Near(expected.WeightedRecall, m.WeightedRecall, "WeightedRecall");
        Near(expected.WeightedF1, m.WeightedF1, "WeightedF1");
        // Top-1 with ties toward the lower index is the accuracy of the argmax prediction.
        Assert.AreEqual(m.MicroAccuracy, m.TopKAccuracyForAllK[0]);
    }

    [TestMethod]
    public void NeverPredictedClassHasPrecisionZeroAndAbsentClassRecallZero()
    {
        var a = Compute("A");
        Assert.AreEqual(0.0, a.ConfusionMatrix.Counts.Sum(row => row[3]), "case A never predicts class 3");
        Assert.AreEqual(0.0, a.PerClassPrecision[3]);
        Assert.AreEqual(0.0, a.PerClassF1[3]);

        var b = Compute("B");
        Assert.AreEqual(0.0, b.ConfusionMatrix.Counts[2].Sum(), "case B has no row of class 2");
        Assert.AreEqual(0.0, b.PerClassRecall[2]);
        Assert.AreEqual(0.0, b.PerClassLogLoss[2]);
        // MacroAccuracy leaves the absent class out (mean over 4 classes); MacroRecall counts it as 0 (over 5).
        double present = new[] { 0, 1, 3, 4 }.Average(c => b.PerClassRecall[c]);
        Near(present, b.MacroAccuracy, "MacroAccuracy");
        Near(b.PerClassRecall.Average(), b.MacroRecall, "MacroRecall");
        Assert.AreNotEqual(b.MacroAccuracy, b.MacroRecall);
    }

    [TestMethod]
    public void TiesGoToTheLowerClassIndexUnlikeScikitLearnTopK()
    {
        // Row [3/8, 3/8, 2/8] with label 0 is a hit and with label 1 a top-1 miss; scikit-learn's
        // top_k_accuracy_score ranks tied classes the other way round (stable argsort, reversed).
        var m = MulticlassMetricsCalculator.Compute([0.375f, 0.375f, 0.25f, 0.375f, 0.375f, 0.25f], [0, 1], 3, 2);
        CollectionAssert.AreEqual(new[] { 0.5, 1.0 }, m.TopKAccuracyForAllK.ToArray());
        Assert.AreEqual(1.0, m.ConfusionMatrix.Counts[1][0], "the tied row of class 1 is predicted as class 0");

        var c = Compute("C");
        Assert.AreNotEqual(CaseC.SklearnTopKForAllK[0], c.TopKAccuracyForAllK[0], "case C's ties change top-1");
        Near(CaseC.SklearnTopKForAllK[1], c.TopKAccuracyForAllK[1], "top-2 happens to agree");
    }

    [TestMethod]
    public void LogLossClipsToEpsilon()
    {
        // p[true] = 0 gives −ln(1e-15); p[true] = 1 gives −ln(1 − 1e-15), not 0.
        var zero = MulticlassMetricsCalculator.Compute([0f, 1f], [0], 2, 1);
        Assert.AreEqual(-Math.Log(1e-15), zero.LogLoss, 1e-12);
        var one = MulticlassMetricsCalculator.Compute([1f, 0f], [0], 2, 1);
        Assert.AreEqual(-Math.Log(1 - 1e-15), one.LogLoss);
        Assert.IsGreaterThan(0.0, one.LogLoss);
    }

    [TestMethod]
    public void RowsAreNotRenormalizedUnlikeScikitLearnLogLoss()
    {
        // Both rows give the true class 1/2 of a row summing to 3/4: −ln(1/2) here, −ln(2/3) in scikit-learn.
        var m = MulticlassMetricsCalculator.Compute([0.5f, 0.25f, 0f, 0.125f, 0.5f, 0.125f], [0, 1], 3, 1);
        Near(Math.Log(2), m.LogLoss, "LogLoss");
        Near(-Math.Log(2.0 / 3), SklearnLogLossOfUnnormalizedRows, "scikit-learn's value");
    }

    [TestMethod]
    public void LogLossReductionIsNaNForASingleClass()
    {
        var m = MulticlassMetricsCalculator.Compute([0.9f, 0.1f, 0.6f, 0.4f], [0, 0], 2, 1);
        Assert.IsTrue(double.IsNaN(m.LogLossReduction));
        Assert.AreEqual(1.0, m.MicroAccuracy);
        Assert.AreEqual(1.0, m.MacroAccuracy, "the mean over the one class present");
    }

    [TestMethod]
    public void LogLossReductionOfThePriorIsZero()
    {
        // Predicting the label frequencies (1/4, 3/4) for every row is the prior itself.
        var m = MulticlassMetricsCalculator.Compute([0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f], [0, 1, 1, 1], 2, 2);
        Assert.AreEqual(0.0, m.LogLossReduction, 1e-15);
        CollectionAssert.AreEqual(new[] { 0.75, 1.0 }, m.TopKAccuracyForAllK.ToArray());
    }

    [TestMethod]
    public void FormattedTableShowsNamesCountsRecallAndPrecision()
    {
        var (probabilities, labels, _) = ReferenceCases.Build("A");
        string[] names = ["cat", "dog", "bird", "fish"];
        var m = MulticlassMetricsCalculator.Compute(probabilities, labels, 4, 3, names);
        var table = m.ConfusionMatrix.GetFormattedConfusionTable();
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

        var header = lines.Single(l => l.StartsWith("PREDICTED", StringComparison.Ordinal));
        foreach (var name in names) StringAssert.Contains(header, name);
        StringAssert.Contains(header, "Recall");
        for (int t = 0; t < 4; t++)
        {
            var row = lines.Single(l => l.TrimStart().StartsWith(names[t] + " ||", StringComparison.Ordinal));
            var cells = row.Split("||")[1].Split('|').Select(s => s.Trim()).ToArray();
            CollectionAssert.AreEqual(CaseA.Counts[t].Select(c => c.ToString()).ToArray(), cells[..4], $"row {names[t]}");
            Assert.AreEqual(m.PerClassRecall[t].ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), cells[4]);
        }
        var precision = lines.Single(l => l.StartsWith("Precision", StringComparison.Ordinal));
        StringAssert.Contains(precision, "0.5000 |");
        StringAssert.Contains(precision, "0.2500 |");
        // Aligned: the "||" and every "|" after it sit in the same columns on every table line.
        var bars = lines.Where(l => l.Contains("||")).Select(l => l.IndexOf("||", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.HasCount(1, bars);
        var cellBars = lines.Where(l => l.Contains("||") && !l.Contains("=="))
            .Select(l => string.Join(",", Regex.Matches(l, @"(?<!\|)\|(?!\|)").Select(x => x.Index))).Distinct().ToArray();
        Assert.HasCount(1, cellBars, table);
    }

    [TestMethod]
    public void LongClassNamesMoveToTheRowsWithIndicesInTheHeader()
    {
        var (probabilities, labels, _) = ReferenceCases.Build("A");
        string[] names = ["T-shirt/top", "Trouser", "Pullover", "Dress"];
        var table = MulticlassMetricsCalculator.Compute(probabilities, labels, 4, 3, names).ConfusionMatrix.GetFormattedConfusionTable();
        var header = table.Split('\n').Single(l => l.StartsWith("PREDICTED", StringComparison.Ordinal));
        Assert.DoesNotContain("T-shirt/top", header);
        StringAssert.Contains(header, "     3 |");
        StringAssert.Contains(table, "\n0. T-shirt/top ||");
        StringAssert.Contains(table, "\n3. Dress       ||");
    }

    [TestMethod]
    public void SummaryReadsWellInAConsole()
    {
        var text = Compute("D").ToString();
        StringAssert.Contains(text, "200 rows, 10 classes");
        StringAssert.Matches(text, new Regex(@"MicroAccuracy\s+0\.5100"));
        StringAssert.Matches(text, new Regex(@"TopKAccuracy \(k=5\)\s+0\.8150"));
        StringAssert.Matches(text, new Regex(@"LogLoss\s+1\.6169"));
        StringAssert.Matches(text, new Regex(@"LogLossReduction\s+0\.2938"));
        StringAssert.Matches(text, new Regex(@"MacroF1\s+0\.5136"));
        StringAssert.Matches(text, new Regex(@"WeightedF1\s+0\.5170"));
        StringAssert.Contains(text, "Confusion table");
    }

    [TestMethod]
    public void CrossValidationSummaryMatchesNumpy()
    {
        var (probabilities, labels, _) = ReferenceCases.Build("D");
        var folds = Enumerable.Range(0, 4)
            .Select(f => MulticlassMetricsCalculator.Compute(probabilities.AsSpan(f * 500, 500), labels.AsSpan(f * 50, 50), 10))
            .ToArray();
        var summary = MetricsSummary.Summarize(folds);

        Assert.HasCount(4, summary.Folds);
        Assert.AreEqual(5, summary.TopKPredictionCount);
        var statistics = new Dictionary<string, MetricStatistics>
        {
            ["MicroAccuracy"] = summary.MicroAccuracy,
            ["MacroAccuracy"] = summary.MacroAccuracy,
            ["LogLoss"] = summary.LogLoss,
            ["LogLossReduction"] = summary.LogLossReduction,
            ["TopKAccuracy"] = summary.TopKAccuracy,
            ["MacroF1"] = summary.MacroF1,
            ["WeightedF1"] = summary.WeightedF1,
        };
        Assert.HasCount(CrossValidationD.Count, statistics);
        foreach (var (name, (foldValues, mean, std, sampleStd)) in CrossValidationD)
        {
            var s = statistics[name];
            Assert.AreEqual(4, s.Count);
            Near(mean, s.Mean, $"{name} mean");
            Near(std, s.StandardDeviation, $"{name} std");
            Near(sampleStd, s.SampleStandardDeviation, $"{name} sample std");
        }
        Near(CrossValidationD["LogLoss"].Folds, folds.Select(f => f.LogLoss).ToArray(), "fold log-losses");
        Near(CrossValidationD["MacroF1"].Folds, folds.Select(f => f.MacroF1).ToArray(), "fold macro-F1");

        var text = summary.ToString();
        StringAssert.Contains(text, "4 folds");
        StringAssert.Matches(text, new Regex(@"MicroAccuracy\s+0\.5100 ± 0\.0412"));
        StringAssert.Matches(text, new Regex(@"LogLoss\s+1\.6169 ± 0\.1456"));
        Assert.AreEqual("0.5100 ± 0.0412", summary.MicroAccuracy.ToString());
    }

    [TestMethod]
    public void OneFoldHasNoSpread()
    {
        var s = MetricsSummary.Summarize([Compute("A")]);
        Assert.AreEqual(CaseA.MicroAccuracy, s.MicroAccuracy.Mean);
        Assert.AreEqual(0.0, s.MicroAccuracy.StandardDeviation);
        Assert.AreEqual(0.0, s.MicroAccuracy.SampleStandardDeviation);
    }

    [TestMethod]
    public void SummarizeRejectsNoFoldsAndMixedTopK()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => MetricsSummary.Summarize(null!));
        var empty = Assert.ThrowsExactly<ArgumentException>(() => MetricsSummary.Summarize([]));
        Assert.AreEqual("folds", empty.ParamName);
        var (probabilities, labels, _) = ReferenceCases.Build("A");
        var k2 = MulticlassMetricsCalculator.Compute(probabilities, labels, 4, 2);
        var mixed = Assert.ThrowsExactly<ArgumentException>(() => MetricsSummary.Summarize([Compute("A"), k2]));
        Assert.AreEqual("folds", mixed.ParamName);
        StringAssert.Contains(mixed.Message, "Fold 1");
    }

    // ---- argument errors ----

    private static readonly float[] TwoRows = [0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f];

    [TestMethod]
    [DataRow(0)]
    [DataRow(-3)]
    public void ClassCountMustBePositive(int classCount)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MulticlassMetricsCalculator.Compute(TwoRows, [0, 2], classCount, 1));
        Assert.AreEqual("classCount", e.ParamName);
    }

    [TestMethod]
    public void ProbabilityCountMustMatchRowsTimesClasses()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => MulticlassMetricsCalculator.Compute(TwoRows, [0, 2, 1], 3, 1));
        Assert.AreEqual("probabilities", e.ParamName);
        StringAssert.Contains(e.Message, "3 rows of 3 classes need 9 probabilities; 6 were given");
    }

    [TestMethod]
    [DataRow(-1L)]
    [DataRow(3L)]
    public void LabelsMustBeClassIndices(long bad)
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => MulticlassMetricsCalculator.Compute(TwoRows, [0, bad], 3, 1));
        Assert.AreEqual("labels", e.ParamName);
        StringAssert.Contains(e.Message, $"Row 1 has label {bad}");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(4)]
    public void TopKMustBeBetweenOneAndTheClassCount(int k)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MulticlassMetricsCalculator.Compute(TwoRows, [0, 2], 3, k));
        Assert.AreEqual("topKPredictionCount", e.ParamName);
    }

    [TestMethod]
    public void DefaultTopKNeedsFiveClasses()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MulticlassMetricsCalculator.Compute(TwoRows, [0, 2], 3));
        Assert.AreEqual("topKPredictionCount", e.ParamName);
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void ProbabilitiesMustBeFinite(float bad)
    {
        var probabilities = (float[])TwoRows.Clone();
        probabilities[4] = bad;
        var e = Assert.ThrowsExactly<ArgumentException>(() => MulticlassMetricsCalculator.Compute(probabilities, [0, 2], 3, 1));
        Assert.AreEqual("probabilities", e.ParamName);
        StringAssert.Contains(e.Message, "Row 1, class 1");
    }

    [TestMethod]
    public void EmptyInputIsRejected()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => MulticlassMetricsCalculator.Compute([], [], 3, 1));
        Assert.AreEqual("labels", e.ParamName);
    }

    [TestMethod]
    public void ClassNamesMustNameEveryClass()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => MulticlassMetricsCalculator.Compute(TwoRows, [0, 2], 3, 1, ["a", "b"]));
        Assert.AreEqual("classNames", e.ParamName);
    }

    private static MulticlassClassificationMetrics Compute(string name)
    {
        var (probabilities, labels, _) = ReferenceCases.Build(name);
        return MulticlassMetricsCalculator.Compute(probabilities, labels, Case(name).Classes, Case(name).TopK);
    }

    /// <summary>The expected values of one reference case.</summary>
    private sealed class Expected
    {
        public int Classes { get; init; }
        public int TopK { get; init; }
        public long ProbabilityChecksum { get; init; }
        public long[] Labels { get; init; } = [];
        public long[][] Counts { get; init; } = [];
        public double[] PerClassPrecision { get; init; } = [];
        public double[] PerClassRecall { get; init; } = [];
        public double[] PerClassF1 { get; init; } = [];
        public double[] PerClassLogLoss { get; init; } = [];
        public double[] TopKAccuracyForAllK { get; init; } = [];
        /// <summary>scikit-learn's top_k_accuracy_score for k = 1 … TopK (ties to the higher index).</summary>
        public double[] SklearnTopKForAllK { get; init; } = [];
        public double MicroAccuracy { get; init; }
        public double MacroAccuracy { get; init; }
        public double LogLoss { get; init; }
        public double LogLossReduction { get; init; }
        public double TopKAccuracy { get; init; }
        public double MacroPrecision { get; init; }
        public double MacroRecall { get; init; }
        public double MacroF1 { get; init; }
        public double MicroPrecision { get; init; }
        public double MicroRecall { get; init; }
        public double MicroF1 { get; init; }
        public double WeightedPrecision { get; init; }
        public double WeightedRecall { get; init; }
        public double WeightedF1 { get; init; }
    }

    /// <summary>The C# mirror of metrics_reference.py's inputs (same formulas, same operation order).</summary>
    private static class ReferenceCases
    {
        private const long Scale = 1 << 20;

        public static (float[] Probabilities, long[] Labels, long Checksum) Build(string name) => name switch
        {
            "A" => Quantized(12, 4, i => (7 * i + 1) % 4,
                (i, j, _) => 2.0 * Math.Sin(0.9 * i + 2.1 * j + 0.4) + new[] { 0.0, 0.3, 0.1, -3.0 }[j]),
            "B" => Quantized(15, 5, i => new long[] { 0, 1, 3, 4 }[(3 * i + 1) % 4],
                (i, j, _) => 8.0 * Math.Sin(0.61 * i + 1.7 * j + 0.3)),
            "C" => Eighths(),
            "D" => Quantized(200, 10, i => (long)((((ulong)i * 2654435761UL) & 0xFFFFFFFFUL) >> 16) % 10,
                (i, j, label) => 2.5 * Math.Sin(0.37 * i + 1.13 * j + 0.2) + (j == label ? 1.5 + 0.2 * j : 0.0)),
            _ => throw new ArgumentException(name),
        };

        private static (float[], long[], long) Quantized(int rows, int classes, Func<int, long> label, Func<int, int, long, double> logit)
        {
            var q = new long[rows][];
            var labels = new long[rows];
            for (int i = 0; i < rows; i++)
            {
                labels[i] = label(i);
                q[i] = QuantizedSoftmax(Enumerable.Range(0, classes).Select(j => logit(i, j, labels[i])).ToArray());
            }
            return Finish(q, labels);
        }

        private static (float[], long[], long) Eighths()
        {
            // TIE_ROWS of the script: probabilities in eighths, then the label.
            long[][] rows = [[3, 3, 2, 0], [3, 3, 2, 1], [2, 3, 3, 2], [2, 3, 3, 0], [4, 2, 2, 2],
                             [4, 2, 2, 1], [1, 1, 6, 2], [0, 4, 4, 0], [8, 0, 0, 0], [2, 4, 2, 1]];
            return Finish(rows.Select(r => r[..3].Select(v => v * Scale / 8).ToArray()).ToArray(), rows.Select(r => r[3]).ToArray());
        }

        /// <summary>softmax in float64, rounded half-to-even to multiples of 2^-20; the first largest absorbs the remainder.</summary>
        private static long[] QuantizedSoftmax(double[] logits)
        {
            double top = logits[0];
            foreach (var z in logits) top = Math.Max(top, z);
            var e = logits.Select(z => Math.Exp(z - top)).ToArray();
            double total = 0;
            foreach (var v in e) total += v;
            var q = e.Select(v => (long)Math.Round(v / total * Scale, MidpointRounding.ToEven)).ToArray();
            q[Array.IndexOf(q, q.Max())] += Scale - q.Sum();
            return q;
        }

        private static (float[], long[], long) Finish(long[][] q, long[] labels)
        {
            int classes = q[0].Length;
            long checksum = 0;
            var probabilities = new float[q.Length * classes];
            for (int i = 0; i < q.Length; i++)
            {
                for (int j = 0; j < classes; j++)
                {
                    checksum += q[i][j] * (i * classes + j + 1);
                    probabilities[i * classes + j] = (float)((double)q[i][j] / Scale);
                }
            }
            return (probabilities, labels, checksum);
        }
    }

    // ---- reference values: begin (generated by tests/reference/metrics_reference.py) ----
    // scikit-learn 1.2.1, numpy 1.24.2; inputs and definitions are described in the script.
    // Probabilities are built by the C# mirror of the script's formulas (ReferenceCases below).
    // 12 rows x 4 classes; class 3 is never predicted.
    private static readonly Expected CaseA = new()
    {
        Classes = 4, TopK = 3, ProbabilityChecksum = 302476811,
        Labels = [1, 0, 3, 2, 1, 0, 3, 2, 1, 0, 3, 2],
        Counts = [[2, 1, 0, 0], [1, 1, 1, 0], [0, 1, 2, 0], [1, 1, 1, 0]],
        PerClassPrecision = [0.5, 0.25, 0.5, 0.0],
        PerClassRecall = [0.6666666666666666, 0.3333333333333333, 0.6666666666666666, 0.0],
        PerClassF1 = [0.5714285714285715, 0.28571428571428575, 0.5714285714285715, 0.0],
        PerClassLogLoss = [1.4870103786079045, 1.6651740489966904, 1.3916610644145158, 4.868520507533383],
        TopKAccuracyForAllK = [0.4166666666666667, 0.5833333333333334, 0.8333333333333334],
        SklearnTopKForAllK = [0.4166666666666667, 0.5833333333333334, 0.8333333333333334],
        MicroAccuracy = 0.4166666666666667, MacroAccuracy = 0.41666666666666663, LogLoss = 2.3530914998881234,
        LogLossReduction = -0.6973967188232844, TopKAccuracy = 0.8333333333333334, MacroPrecision = 0.3125,
        MacroRecall = 0.41666666666666663, MacroF1 = 0.3571428571428572, MicroPrecision = 0.4166666666666667,
        MicroRecall = 0.4166666666666667, MicroF1 = 0.4166666666666667, WeightedPrecision = 0.3125,
        WeightedRecall = 0.4166666666666667, WeightedF1 = 0.3571428571428572,
    };
    // 15 rows x 5 classes; class 2 is absent from the labels; true-class probabilities of 0 occur.
    private static readonly Expected CaseB = new()
    {
        Classes = 5, TopK = 4, ProbabilityChecksum = 597888673,
        Labels = [1, 0, 4, 3, 1, 0, 4, 3, 1, 0, 4, 3, 1, 0, 4],
        Counts = [[1, 1, 0, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 0], [1, 0, 1, 0, 1], [1, 1, 1, 1, 0]],
        PerClassPrecision = [0.25, 0.3333333333333333, 0.0, 0.0, 0.0],
        PerClassRecall = [0.25, 0.25, 0.0, 0.0, 0.0],
        PerClassF1 = [0.25, 0.28571428571428575, 0.0, 0.0, 0.0],
        PerClassLogLoss = [5.4096223240965555, 11.009808890141722, 0.0, 7.355742303269956, 11.537282362275212],
        TopKAccuracyForAllK = [0.13333333333333333, 0.4666666666666667, 0.6666666666666666, 0.8666666666666667],
        SklearnTopKForAllK = [0.13333333333333333, 0.4666666666666667, 0.6666666666666666, 0.8666666666666667],
        MicroAccuracy = 0.13333333333333333, MacroAccuracy = 0.125, LogLoss = 8.926272081057588,
        LogLossReduction = -5.471632137505359, TopKAccuracy = 0.8666666666666667, MacroPrecision = 0.11666666666666665,
        MacroRecall = 0.1, MacroF1 = 0.10714285714285716, MicroPrecision = 0.13333333333333333,
        MicroRecall = 0.13333333333333333, MicroF1 = 0.13333333333333333, WeightedPrecision = 0.15555555555555553,
        WeightedRecall = 0.13333333333333333, WeightedF1 = 0.14285714285714288,
    };
    // 10 rows x 3 classes with exact ties; SklearnTopKForAllK is top_k_accuracy_score (ties to the higher index).
    private static readonly Expected CaseC = new()
    {
        Classes = 3, TopK = 2, ProbabilityChecksum = 162136064,
        Labels = [0, 1, 2, 0, 2, 1, 2, 0, 0, 1],
        Counts = [[2, 2, 0], [2, 1, 0], [1, 1, 1]],
        PerClassPrecision = [0.4, 0.25, 1.0],
        PerClassRecall = [0.5, 0.3333333333333333, 0.3333333333333333],
        PerClassF1 = [0.4444444444444445, 0.28571428571428575, 0.5],
        PerClassLogLoss = [9.226475002260575, 1.0200902648971875, 0.8849352288611326],
        TopKAccuracyForAllK = [0.4, 0.7],
        SklearnTopKForAllK = [0.5, 0.7],
        MicroAccuracy = 0.4, MacroAccuracy = 0.38888888888888884, LogLoss = 4.262097649031726,
        LogLossReduction = -2.9141314588426503, TopKAccuracy = 0.7, MacroPrecision = 0.5499999999999999,
        MacroRecall = 0.38888888888888884, MacroF1 = 0.41005291005291006, MicroPrecision = 0.4,
        MicroRecall = 0.4, MicroF1 = 0.4000000000000001, WeightedPrecision = 0.5349999999999999,
        WeightedRecall = 0.4, WeightedF1 = 0.4134920634920635,
    };
    // 200 rows x 10 classes.
    private static readonly Expected CaseD = new()
    {
        Classes = 10, TopK = 5, ProbabilityChecksum = 209867098673,
        Labels = [0, 3, 0, 4, 1, 9, 2, 0, 3, 1, 8, 2, 9, 7, 0, 8, 1, 9, 6, 0, 7, 0, 8, 5, 9, 6, 4, 7, 5, 8, 6, 3, 7, 4, 2, 5, 3, 6, 4, 1, 5, 2, 5, 3, 0, 4, 1, 9, 2, 0, 3, 1, 8, 2, 9, 3, 0, 8, 1, 9, 6, 9, 7, 0, 8, 5, 9, 6, 4, 7, 5, 8, 6, 3, 7, 4, 8, 5, 3, 6, 4, 1, 4, 2, 5, 3, 0, 4, 1, 9, 2, 0, 3, 1, 8, 2, 9, 3, 0, 8, 1, 9, 6, 9, 7, 0, 8, 5, 9, 6, 0, 7, 5, 8, 6, 3, 7, 4, 8, 5, 3, 6, 3, 1, 4, 2, 5, 3, 0, 4, 1, 5, 2, 0, 3, 1, 8, 2, 9, 3, 0, 8, 1, 8, 2, 9, 7, 0, 8, 5, 9, 6, 0, 7, 5, 8, 6, 3, 7, 4, 8, 5, 3, 6, 3, 7, 4, 2, 5, 3, 0, 4, 1, 5, 2, 0, 3, 1, 8, 2, 9, 3, 0, 7, 1, 8, 2, 9, 7, 0, 8, 5, 9, 6, 0, 7, 5, 8, 6, 9],
        Counts = [[11, 2, 3, 3, 3, 0, 0, 1, 1, 1], [1, 7, 1, 2, 4, 2, 0, 0, 1, 0], [1, 0, 8, 0, 3, 3, 1, 0, 0, 1], [4, 3, 0, 11, 1, 2, 1, 2, 0, 0], [1, 2, 2, 0, 7, 0, 2, 1, 1, 0], [0, 2, 2, 2, 0, 12, 0, 1, 1, 1], [0, 0, 0, 3, 2, 0, 10, 0, 1, 1], [0, 0, 0, 1, 2, 2, 0, 10, 0, 2], [3, 0, 0, 0, 4, 3, 1, 0, 13, 0], [2, 3, 0, 0, 0, 1, 1, 1, 0, 13]],
        PerClassPrecision = [0.4782608695652174, 0.3684210526315789, 0.5, 0.5, 0.2692307692307692, 0.48, 0.625, 0.625, 0.7222222222222222, 0.6842105263157895],
        PerClassRecall = [0.44, 0.3888888888888889, 0.47058823529411764, 0.4583333333333333, 0.4375, 0.5714285714285714, 0.5882352941176471, 0.5882352941176471, 0.5416666666666666, 0.6190476190476191],
        PerClassF1 = [0.4583333333333333, 0.37837837837837834, 0.48484848484848486, 0.4782608695652174, 0.33333333333333337, 0.5217391304347826, 0.6060606060606061, 0.6060606060606061, 0.619047619047619, 0.6500000000000001],
        PerClassLogLoss = [2.065686424277367, 1.9914391378116925, 1.9617434274731502, 1.8846817083021286, 1.8213396225099323, 1.4184130475473975, 1.4990388870893958, 1.218823074433607, 1.218911404831572, 1.0913569264077199],
        TopKAccuracyForAllK = [0.51, 0.545, 0.6, 0.705, 0.815],
        SklearnTopKForAllK = [0.51, 0.545, 0.6, 0.705, 0.815],
        MicroAccuracy = 0.51, MacroAccuracy = 0.5103923902894492, LogLoss = 1.6168709741445217,
        LogLossReduction = 0.29377790735817044, TopKAccuracy = 0.815, MacroPrecision = 0.5252345439965577,
        MacroRecall = 0.5103923902894492, MacroF1 = 0.5136062361062361, MicroPrecision = 0.51,
        MicroRecall = 0.51, MicroF1 = 0.51, WeightedPrecision = 0.5321377369007803,
        WeightedRecall = 0.51, WeightedF1 = 0.5169644389590041,
    };
    // Case D in 4 folds of 50 consecutive rows: fold values, their mean, np.std (population, ddof=0) and np.std(ddof=1).
    private static readonly Dictionary<string, (double[] Folds, double Mean, double Std, double SampleStd)> CrossValidationD = new()
    {
        ["MicroAccuracy"] = ([0.56, 0.46, 0.48, 0.54], 0.51, 0.041231056256176624, 0.04760952285695235),
        ["MacroAccuracy"] = ([0.57, 0.45071428571428573, 0.4954761904761905, 0.5233333333333332], 0.5098809523809524, 0.04331125156898207, 0.05001152550458281),
        ["LogLoss"] = ([1.5003529352347784, 1.755743187762924, 1.766429930375466, 1.4449578432049202], 1.616870974144522, 0.14558841908355355, 0.1681110258975634),
        ["LogLossReduction"] = ([0.34222135773893203, 0.22678269886512803, 0.22322196159422614, 0.36411095393376347], 0.2890842430330124, 0.06455982270321008, 0.0745472620330657),
        ["TopKAccuracy"] = ([0.82, 0.8, 0.76, 0.88], 0.815, 0.043301270189221926, 0.04999999999999999),
        ["MacroF1"] = ([0.5679020979020979, 0.4472816072816073, 0.48910478410478414, 0.5241813741813741], 0.5071174658674659, 0.04441490497434839, 0.05128591468594338),
        ["WeightedF1"] = ([0.5648251748251748, 0.4627281607281607, 0.48651304251304256, 0.5505414585414585], 0.5161519591519592, 0.042674017884970245, 0.04927571142658095),
    };
    // log_loss([0, 1], [[0.5, 0.25, 0], [0.125, 0.5, 0.125]], eps=1e-15): rows renormalized to sum 1.
    private const double SklearnLogLossOfUnnormalizedRows = 0.4054651081081651;
    // ---- reference values: end ----
}
