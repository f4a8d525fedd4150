using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;

namespace MnistMl.Tests;

[TestClass]
public sealed class StratifiedSplitTests
{
    public sealed class Row
    {
        public uint Label { get; set; }
        public int Id { get; set; }
        [VectorType(3)]
        public float[] Features { get; set; } = new float[3];
    }

    public sealed class IntRow { public int Label { get; set; } public int Id { get; set; } }
    public sealed class FloatRow { public float Label { get; set; } public int Id { get; set; } }
    public sealed class BoolRow { public bool Label { get; set; } public int Id { get; set; } }
    public sealed class TextRow { public string Label { get; set; } = ""; public int Id { get; set; } }

    /// <summary>Class sizes of the imbalanced 1,000-row set (keys 1..10).</summary>
    private static readonly int[] ImbalancedSizes = [1, 2, 3, 5, 8, 13, 21, 34, 55, 858];

    /// <summary>The 20-row set pinned against the Python mirror: keys 1..3 with 9, 7 and 4 rows.</summary>
    private static readonly uint[] SmallKeys = [1, 2, 1, 3, 1, 2, 1, 1, 2, 3, 1, 2, 1, 3, 2, 1, 2, 3, 1, 2];

    private static SchemaDefinition RowSchema(int classes)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), classes);
        return schema;
    }

    /// <summary>
    /// Loads raw key values (1..classes; 0 = missing). LoadFromEnumerable takes a key field 0-based and stores
    /// value + 1, and stores a value of classes or more as the missing key 0; so row objects hold raw − 1.
    /// </summary>
    private static IDataView Load(MLContext ml, IReadOnlyList<uint> keys, int classes) =>
        ml.Data.LoadFromEnumerable(
            keys.Select((k, i) => new Row { Label = k == 0 ? (uint)classes : k - 1, Id = i, Features = [i, k, i % 7] }).ToList(),
            RowSchema(classes));

    /// <summary>Keys 1..10 with <see cref="ImbalancedSizes"/> rows, interleaved by the permutation j → 337·j mod 1000.</summary>
    private static uint[] ImbalancedKeys()
    {
        var sorted = ImbalancedSizes.SelectMany((n, c) => Enumerable.Repeat((uint)(c + 1), n)).ToArray();
        var keys = new uint[1000];
        for (int j = 0; j < 1000; j++) keys[j * 337 % 1000] = sorted[j];
        return keys;
    }

    /// <summary>Keys 1 + (7i + i/13) mod 10: class sizes 108, 92, 108, 92, 108, 92, 107, 93, 107, 93.</summary>
    private static uint[] BalancedKeys() => Enumerable.Range(0, 1000).Select(i => (uint)((i * 7 + i / 13) % 10 + 1)).ToArray();

    private static int[] Ids(IDataView view) => view.GetColumn<int>("Id").ToArray();

    private static int[] ClassCounts(IReadOnlyList<uint> keys, IEnumerable<int> ids, int classes)
    {
        var counts = new int[classes];
        foreach (var id in ids) counts[keys[id] - 1]++;
        return counts;
    }

    private static void AssertPartition(int rows, params int[][] parts)
    {
        foreach (var part in parts)
            for (int i = 1; i < part.Length; i++) Assert.IsLessThan(part[i], part[i - 1], "each part keeps the original row order");
        CollectionAssert.AreEqual(Enumerable.Range(0, rows).ToArray(), parts.SelectMany(p => p).Order().ToArray(), "every row exactly once");
    }

    [TestMethod]
    public void SplitRandomMatchesThePythonReference()
    {
        // Computed once with tests/reference/split_random_reference.py (a line-by-line Python mirror of SplitRandom)
        // under Debian 12's python3 3.11.2. Seed 0 also matches Vigna's splitmix64.c.
        var zero = new SplitRandom(0);
        Assert.AreEqual(0xE220A8397B1DCDAFUL, zero.NextUInt64());
        Assert.AreEqual(0x6E789E6AA1B965F4UL, zero.NextUInt64());
        Assert.AreEqual(0x06C45D188009454FUL, zero.NextUInt64());
        var fortyTwo = new SplitRandom(42);
        Assert.AreEqual(0xBDD732262FEB6E95UL, fortyTwo.NextUInt64());
        Assert.AreEqual(0x28EFE333B266F103UL, fortyTwo.NextUInt64());
        Assert.AreEqual(0x47526757130F9F52UL, fortyTwo.NextUInt64());
        var minusOne = new SplitRandom(-1);
        Assert.AreEqual(0xE4D971771B652C20UL, minusOne.NextUInt64());
        Assert.AreEqual(0xE99FF867DBF682C9UL, minusOne.NextUInt64());
        Assert.AreEqual(0x382FF84CB27281E9UL, minusOne.NextUInt64());

        var bounded = new SplitRandom(42);
        CollectionAssert.AreEqual(new[] { 3, 1, 8, 4, 0, 2, 5, 8 }, Enumerable.Range(0, 8).Select(_ => bounded.NextBelow(10)).ToArray());
        var items = Enumerable.Range(0, 10).ToArray();
        new SplitRandom(7).Shuffle<int>(items);
        CollectionAssert.AreEqual(new[] { 8, 1, 5, 9, 0, 4, 3, 2, 6, 7 }, items);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SplitRandom(1).NextBelow(0));
    }

    [TestMethod]
    public void SmallSplitsArePinned()
    {
        // Row numbers computed once with tests/reference/split_random_reference.py (python3 3.11.2): a change of the
        // generator, the shuffle, the class order or the rounding changes them, and with them every user's splits.
        var ml = new MLContext(seed: 1);
        var data = Load(ml, SmallKeys, 3);

        var split = ml.Data.StratifiedTrainTestSplit(data, testFraction: 0.25, seed: 42);
        CollectionAssert.AreEqual(new[] { 1, 5, 7, 15, 17 }, Ids(split.TestSet));
        CollectionAssert.AreEqual(new[] { 0, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13, 14, 16, 18, 19 }, Ids(split.TrainSet));
        CollectionAssert.AreEqual(new[] { 0, 2, 3, 11, 14 }, Ids(ml.Data.StratifiedTrainTestSplit(data, testFraction: 0.25).TestSet), "null seed = DefaultSeed 0");
        CollectionAssert.AreEqual(new[] { 0, 2, 3, 11, 14 }, Ids(ml.Data.StratifiedTrainTestSplit(data, 0.25, seed: StratifiedSplitCatalog.DefaultSeed).TestSet));

        var folds = ml.Data.StratifiedCrossValidationSplit(data, numberOfFolds: 3, seed: 7);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4, 5, 19 }, Ids(folds[0].TestSet));
        CollectionAssert.AreEqual(new[] { 7, 8, 11, 12, 13, 15, 17 }, Ids(folds[1].TestSet));
        CollectionAssert.AreEqual(new[] { 6, 9, 10, 14, 16, 18 }, Ids(folds[2].TestSet));

        CollectionAssert.AreEqual(new[] { 3, 7, 8, 12, 13, 14 }, Ids(ml.Data.TakeStratified(data, rowsPerClass: 2, seed: 5)));
    }

    [TestMethod]
    [DataRow(0.25, new[] { 0, 1, 1, 1, 2, 3, 5, 9, 14, 215 })]
    [DataRow(0.1, new[] { 0, 1, 1, 1, 1, 1, 2, 3, 6, 86 })]
    [DataRow(0.01, new[] { 0, 1, 1, 1, 1, 1, 1, 1, 1, 9 })]
    [DataRow(0.99, new[] { 0, 1, 2, 4, 7, 12, 20, 33, 54, 849 })]
    public void EachClassSendsItsRoundedShareToTest(double fraction, int[] expectedTest)
    {
        // round(fraction·n) away from zero, clamped to [1, n−1] for n ≥ 2; the one-row class stays in training.
        // 0.25·34 = 8.5 → 9 and 0.25·858 = 214.5 → 215 are midpoints; 0.01 and 0.99 show the clamp.
        var ml = new MLContext(seed: 1);
        var keys = ImbalancedKeys();
        var split = ml.Data.StratifiedTrainTestSplit(Load(ml, keys, 10), fraction, seed: 3);
        int[] train = Ids(split.TrainSet), test = Ids(split.TestSet);
        CollectionAssert.AreEqual(expectedTest, ClassCounts(keys, test, 10));
        CollectionAssert.AreEqual(ImbalancedSizes.Zip(expectedTest, (n, t) => n - t).ToArray(), ClassCounts(keys, train, 10));
        Assert.AreEqual((long)expectedTest.Sum(), split.TestSet.GetRowCount());
        Assert.AreEqual(1000L - expectedTest.Sum(), split.TrainSet.GetRowCount());
        AssertPartition(1000, train, test);
    }

    [TestMethod]
    public void BalancedThousandRowsSplitToTheDocumentedCounts()
    {
        var ml = new MLContext(seed: 1);
        var keys = BalancedKeys();
        CollectionAssert.AreEqual(new[] { 108, 92, 108, 92, 108, 92, 107, 93, 107, 93 }, ClassCounts(keys, Enumerable.Range(0, 1000), 10));
        var split = ml.Data.StratifiedTrainTestSplit(Load(ml, keys, 10), 0.15, seed: 11);
        // 0.15·108 = 16.2 → 16, 0.15·92 = 13.8 → 14, 0.15·107 = 16.05 → 16, 0.15·93 = 13.95 → 14.
        CollectionAssert.AreEqual(new[] { 16, 14, 16, 14, 16, 14, 16, 14, 16, 14 }, ClassCounts(keys, Ids(split.TestSet), 10));
        AssertPartition(1000, Ids(split.TrainSet), Ids(split.TestSet));
    }

    [TestMethod]
    public void SameSeedGivesTheSameRowsAcrossRunsAndContexts()
    {
        var keys = ImbalancedKeys();
        var a = new MLContext(seed: 1);
        var b = new MLContext(seed: 99);
        var dataA = Load(a, keys, 10);
        var dataB = Load(b, keys, 10);
        var first = Ids(a.Data.StratifiedTrainTestSplit(dataA, 0.2, seed: 8).TestSet);
        CollectionAssert.AreEqual(first, Ids(a.Data.StratifiedTrainTestSplit(dataA, 0.2, seed: 8).TestSet));
        CollectionAssert.AreEqual(first, Ids(b.Data.StratifiedTrainTestSplit(dataB, 0.2, seed: 8).TestSet));
        CollectionAssert.AreNotEqual(first, Ids(a.Data.StratifiedTrainTestSplit(dataA, 0.2, seed: 9).TestSet));

        var foldsA = a.Data.StratifiedCrossValidationSplit(dataA, 4, seed: 8).Select(f => Ids(f.TestSet)).ToArray();
        var foldsB = b.Data.StratifiedCrossValidationSplit(dataB, 4, seed: 8).Select(f => Ids(f.TestSet)).ToArray();
        for (int f = 0; f < 4; f++) CollectionAssert.AreEqual(foldsA[f], foldsB[f]);
        CollectionAssert.AreNotEqual(foldsA[0], Ids(a.Data.StratifiedCrossValidationSplit(dataA, 4, seed: 9)[0].TestSet));

        var take = Ids(a.Data.TakeStratified(dataA, 20, seed: 8));
        CollectionAssert.AreEqual(take, Ids(b.Data.TakeStratified(dataB, 20, seed: 8)));
        CollectionAssert.AreNotEqual(take, Ids(a.Data.TakeStratified(dataA, 20, seed: 9)));
    }

    [TestMethod]
    [DataRow(5)]
    [DataRow(3)]
    public void StratifiedFoldsCoverEveryRowOnceWithBalancedClasses(int k)
    {
        var ml = new MLContext(seed: 1);
        var keys = ImbalancedKeys();
        var folds = ml.Data.StratifiedCrossValidationSplit(Load(ml, keys, 10), numberOfFolds: k, seed: 21);
        Assert.HasCount(k, folds);
        var tests = folds.Select(f => Ids(f.TestSet)).ToArray();
        AssertPartition(1000, tests);
        // Fold totals differ by at most one: 1000 = 5·200 = 334 + 333 + 333.
        int[] expectedSizes = k == 5 ? [200, 200, 200, 200, 200] : [334, 333, 333];
        CollectionAssert.AreEquivalent(expectedSizes, tests.Select(t => t.Length).ToArray());
        for (int c = 0; c < 10; c++)
        {
            var perFold = tests.Select(t => ClassCounts(keys, t, 10)[c]).ToArray();
            Assert.IsLessThanOrEqualTo(1, perFold.Max() - perFold.Min(), $"class {c + 1}: {string.Join(",", perFold)}");
            Assert.AreEqual(ImbalancedSizes[c], perFold.Sum());
        }
        for (int f = 0; f < k; f++)
        {
            var train = Ids(folds[f].TrainSet);
            AssertPartition(1000, train, tests[f]);
            Assert.AreEqual(1000L - tests[f].Length, folds[f].TrainSet.GetRowCount());
            Assert.AreEqual((long)tests[f].Length, folds[f].TestSet.GetRowCount());
        }
    }

    [TestMethod]
    public void TakeStratifiedKeepsAtMostThePerClassCountInOrder()
    {
        var ml = new MLContext(seed: 1);
        var keys = ImbalancedKeys();
        var subset = ml.Data.TakeStratified(Load(ml, keys, 10), rowsPerClass: 30, seed: 2);
        var ids = Ids(subset);
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 5, 8, 13, 21, 30, 30, 30 }, ClassCounts(keys, ids, 10));
        Assert.AreEqual(143L, subset.GetRowCount());
        for (int i = 1; i < ids.Length; i++) Assert.IsLessThan(ids[i], ids[i - 1]);

        var balanced = BalancedKeys();
        var hundred = ml.Data.TakeStratified(Load(ml, balanced, 10), rowsPerClass: 100, seed: 2);
        CollectionAssert.AreEqual(new[] { 100, 92, 100, 92, 100, 92, 100, 93, 100, 93 }, ClassCounts(balanced, Ids(hundred), 10));
    }

    [TestMethod]
    public void SplitViewsWorkWithMlNetConsumers()
    {
        var ml = new MLContext(seed: 1);
        var keys = BalancedKeys();
        var split = ml.Data.StratifiedTrainTestSplit(Load(ml, keys, 10), 0.2, seed: 4);

        var rows = ml.Data.CreateEnumerable<Row>(split.TestSet, reuseRowObject: false, schemaDefinition: RowSchema(10)).ToList();
        Assert.HasCount(200, rows);
        foreach (var row in rows)
        {
            Assert.AreEqual(keys[row.Id], row.Label); // CreateEnumerable gives the raw key back (1-based), not the value written
            CollectionAssert.AreEqual(new float[] { row.Id, keys[row.Id], row.Id % 7 }, row.Features);
        }

        var shuffled = Ids(ml.Data.ShuffleRows(split.TrainSet, seed: 3));
        CollectionAssert.AreNotEqual(Ids(split.TrainSet), shuffled);
        CollectionAssert.AreEqual(Ids(split.TrainSet), shuffled.Order().ToArray());

        var normalizer = ml.Transforms.NormalizeMinMax("Features").Fit(split.TrainSet);
        var normalized = normalizer.Transform(split.TestSet).GetColumn<float[]>("Features").ToArray();
        Assert.HasCount(200, normalized);
        Assert.IsTrue(normalized.SelectMany(v => v).All(x => x >= -0.01f && x <= 1.01f));

        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 3))
            .Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        Assert.IsTrue(metrics.MicroAccuracy >= 0 && metrics.MicroAccuracy <= 1);
    }

    [TestMethod]
    public void CursorReadsOnlyRequestedColumnsAndCountsItsOwnRows()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, SmallKeys, 3);
        var view = new RowSubsetDataView(data, [2, 5, 19]);
        Assert.IsFalse(view.CanShuffle);
        Assert.AreSame(data.Schema, view.Schema);
        using var cursor = view.GetRowCursor([data.Schema["Id"]]);
        Assert.IsTrue(cursor.IsColumnActive(data.Schema["Id"]));
        Assert.IsFalse(cursor.IsColumnActive(data.Schema["Features"]));
        var id = cursor.GetGetter<int>(data.Schema["Id"]);
        var seen = new List<(long, int)>();
        while (cursor.MoveNext())
        {
            int value = 0;
            id(ref value);
            seen.Add((cursor.Position, value));
        }
        CollectionAssert.AreEqual(new[] { (0L, 2), (1L, 5), (2L, 19) }, seen);
        Assert.HasCount(1, view.GetRowCursorSet([data.Schema["Id"]], 4));
        Assert.ThrowsExactly<ArgumentException>(() => new RowSubsetDataView(data, [3, 3]));
        Assert.ThrowsExactly<ArgumentException>(() => new RowSubsetDataView(data, [-1]));
    }

    [TestMethod]
    public void OtherLabelTypesAreStratifiedToo()
    {
        var ml = new MLContext(seed: 1);
        var labels = SmallKeys.Select(k => (int)k).ToArray(); // classes of 9, 7, 4 rows → 2, 2, 1 test rows at 0.25
        var views = new IDataView[]
        {
            ml.Data.LoadFromEnumerable(labels.Select((l, i) => new IntRow { Label = l * 10, Id = i })),
            ml.Data.LoadFromEnumerable(labels.Select((l, i) => new FloatRow { Label = l - 0.5f, Id = i })),
            ml.Data.LoadFromEnumerable(labels.Select((l, i) => new TextRow { Label = "abc"[l - 1].ToString(), Id = i })),
        };
        var keyed = Ids(ml.Data.StratifiedTrainTestSplit(Load(ml, SmallKeys, 3), 0.25, seed: 42).TestSet);
        foreach (var view in views)
        {
            var test = Ids(ml.Data.StratifiedTrainTestSplit(view, 0.25, seed: 42).TestSet);
            // Same classes in the same (ascending) order consume the generator identically: the same rows.
            CollectionAssert.AreEqual(keyed, test, view.Schema["Label"].Type.ToString());
        }

        var bools = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 40).Select(i => new BoolRow { Label = i % 4 == 0, Id = i }));
        var boolTest = Ids(ml.Data.StratifiedTrainTestSplit(bools, 0.2, seed: 1).TestSet);
        Assert.AreEqual(2, boolTest.Count(i => i % 4 == 0)); // 0.2·10
        Assert.AreEqual(6, boolTest.Count(i => i % 4 != 0)); // 0.2·30
    }

    [TestMethod]
    public void LabelProblemsNameTheColumnTypeAndRow()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, SmallKeys, 3);

        var absent = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.StratifiedTrainTestSplit(data, 0.2, labelColumnName: "Digit"));
        Assert.AreEqual("labelColumnName", absent.ParamName);
        StringAssert.Contains(absent.Message, "'Digit'");
        StringAssert.Contains(absent.Message, "'Label'");

        var vector = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.StratifiedCrossValidationSplit(data, 3, labelColumnName: "Features"));
        Assert.AreEqual("labelColumnName", vector.ParamName);
        StringAssert.Contains(vector.Message, "'Features'");
        StringAssert.Contains(vector.Message, data.Schema["Features"].Type.ToString());

        var missingKey = SmallKeys.ToArray();
        missingKey[3] = 0;
        var key = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.TakeStratified(Load(ml, missingKey, 3), 2));
        StringAssert.Contains(key.Message, "Row 3");
        StringAssert.Contains(key.Message, "'Label'");
        StringAssert.Contains(key.Message, "missing key");

        var nan = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 6).Select(i => new FloatRow { Label = i == 2 ? float.NaN : i % 2, Id = i }));
        var nanError = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.StratifiedTrainTestSplit(nan, 0.5));
        StringAssert.Contains(nanError.Message, "Row 2");
        StringAssert.Contains(nanError.Message, "NaN");
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(1.0)]
    [DataRow(-0.1)]
    [DataRow(1.5)]
    [DataRow(double.NaN)]
    public void TestFractionOutsideTheOpenIntervalIsRejected(double fraction)
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.StratifiedTrainTestSplit(Load(ml, SmallKeys, 3), fraction));
        Assert.AreEqual("testFraction", e.ParamName);
    }

    [TestMethod]
    public void FoldAndPerClassCountsAreChecked()
    {
        var ml = new MLContext(seed: 1);
        var data = Load(ml, SmallKeys, 3);
        Assert.AreEqual("numberOfFolds", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.StratifiedCrossValidationSplit(data, 1)).ParamName);
        Assert.AreEqual("numberOfFolds", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.StratifiedCrossValidationSplit(data, 21)).ParamName);
        // More folds than the smallest class (4 rows) is allowed, as in scikit-learn: that class misses some folds.
        var twenty = ml.Data.StratifiedCrossValidationSplit(data, 20);
        Assert.IsTrue(twenty.All(f => f.TestSet.GetRowCount() == 1));
        Assert.AreEqual("rowsPerClass", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.TakeStratified(data, 0)).ParamName);
    }
}
