using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;

// Catalog extensions live in the root namespace, as ML.NET's live in Microsoft.ML: `using MnistMl;` reaches them all.
namespace MnistMl;

/// <summary>
/// Stratified splits for <c>mlContext.Data</c>: ML.NET's <see cref="DataOperationsCatalog.TrainTestSplit"/> and
/// <see cref="DataOperationsCatalog.CrossValidationSplit"/> keep groups together (<c>samplingKeyColumnName</c>) but do
/// not keep class shares. These read the label column once, choose row numbers, and return lazy
/// <see cref="RowSubsetDataView"/>s of the original data in its original row order.
/// </summary>
/// <remarks>
/// <para>Classes are the distinct label values, taken in ascending order (keys and numbers by value, <c>false</c>
/// before <c>true</c>, text by ordinal comparison). One <see cref="SplitRandom"/> is seeded per call, and each class's
/// row numbers (ascending) are shuffled with it in turn, so a seed gives the same rows on every machine.</para>
/// <para>A <c>null</c> seed means <see cref="DefaultSeed"/>: unlike ML.NET's own splits, which fall back on the
/// MLContext's seed (not reachable outside ML.NET), a call without a seed is repeatable.</para>
/// <para>Labels may be a key (raw value 0 is missing), any integer type, <see cref="float"/> or <see cref="double"/>
/// (NaN is missing), <see cref="bool"/>, or text (empty is missing); a missing label is an error, not a class.</para>
/// </remarks>
public static class StratifiedSplitCatalog
{
    /// <summary>The seed used when none is given.</summary>
    public const int DefaultSeed = 0;

    /// <summary>
    /// Splits <paramref name="data"/> into a training and a test part with each class's share kept.
    /// </summary>
    /// <remarks>
    /// A class of n rows sends <c>k = Math.Round(testFraction * n, MidpointRounding.AwayFromZero)</c> rows to the test
    /// part, clamped to [1, n − 1] when n ≥ 2 so that both parts see the class; a class of one row stays in the
    /// training part. The k test rows are the first k of the class's rows after a seeded Fisher–Yates shuffle.
    /// </remarks>
    /// <param name="catalog">The MLContext's data catalog.</param>
    /// <param name="data">The data to split.</param>
    /// <param name="testFraction">The share of each class to put in the test part, strictly between 0 and 1.</param>
    /// <param name="labelColumnName">The column whose values define the classes.</param>
    /// <param name="seed">The seed of the row choice; <c>null</c> means <see cref="DefaultSeed"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException">The label column is absent, of an unsupported type, or holds a missing value.</exception>
    public static StratifiedTrainTestData StratifiedTrainTestSplit(this DataOperationsCatalog catalog, IDataView data,
        double testFraction = 0.1, string labelColumnName = "Label", int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be strictly between 0 and 1.");
        var classes = ReadClasses(data, labelColumnName, out long rowCount);
        var random = new SplitRandom(seed ?? DefaultSeed);
        var isTest = new bool[rowCount];
        foreach (var rows in classes)
        {
            random.Shuffle<long>(rows);
            int take = TestCount(testFraction, rows.Length);
            for (int i = 0; i < take; i++) isTest[rows[i]] = true;
        }
        return Pair(data, isTest, test => test);
    }

    /// <summary>
    /// Stratified k-fold: each class's rows are shuffled and dealt round-robin to the folds, the deal carrying on from
    /// fold to fold across classes (class after class in ascending order), so each class's fold sizes differ by at
    /// most one, and so do the folds' total sizes. Pair i has fold i as its test part and the other folds as its
    /// training part.
    /// </summary>
    /// <remarks>
    /// As in scikit-learn's <c>StratifiedKFold</c>, a class with fewer rows than folds is allowed (it is missing from
    /// some test folds); only more folds than rows is an error.
    /// </remarks>
    /// <param name="catalog">The MLContext's data catalog.</param>
    /// <param name="data">The data to split.</param>
    /// <param name="numberOfFolds">The number of folds, from 2 to the number of rows.</param>
    /// <param name="labelColumnName">The column whose values define the classes.</param>
    /// <param name="seed">The seed of the row choice; <c>null</c> means <see cref="DefaultSeed"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the row count.</exception>
    /// <exception cref="ArgumentException">The label column is absent, of an unsupported type, or holds a missing value.</exception>
    public static IReadOnlyList<StratifiedTrainTestData> StratifiedCrossValidationSplit(this DataOperationsCatalog catalog, IDataView data,
        int numberOfFolds = 5, string labelColumnName = "Label", int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        if (numberOfFolds < 2)
            throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds, "Cross-validation needs at least 2 folds.");
        var classes = ReadClasses(data, labelColumnName, out long rowCount);
        if (numberOfFolds > rowCount)
            throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds, $"{numberOfFolds} folds cannot be made from {rowCount} rows.");
        var random = new SplitRandom(seed ?? DefaultSeed);
        var foldOf = new int[rowCount];
        long dealt = 0;
        foreach (var rows in classes)
        {
            random.Shuffle<long>(rows);
            foreach (var row in rows) foldOf[row] = (int)(dealt++ % numberOfFolds);
        }
        var folds = new StratifiedTrainTestData[numberOfFolds];
        for (int f = 0; f < numberOfFolds; f++)
        {
            int fold = f;
            folds[f] = Pair(data, foldOf, of => of == fold);
        }
        return folds;
    }

    /// <summary>
    /// A random subset with at most <paramref name="rowsPerClass"/> rows of each class (all rows of a smaller class),
    /// in the original row order: the first <paramref name="rowsPerClass"/> of each class's rows after a seeded shuffle.
    /// </summary>
    /// <param name="catalog">The MLContext's data catalog.</param>
    /// <param name="data">The data to sample.</param>
    /// <param name="rowsPerClass">The most rows to keep of each class, at least 1.</param>
    /// <param name="labelColumnName">The column whose values define the classes.</param>
    /// <param name="seed">The seed of the row choice; <c>null</c> means <see cref="DefaultSeed"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowsPerClass"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The label column is absent, of an unsupported type, or holds a missing value.</exception>
    public static IDataView TakeStratified(this DataOperationsCatalog catalog, IDataView data, int rowsPerClass,
        string labelColumnName = "Label", int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        if (rowsPerClass < 1)
            throw new ArgumentOutOfRangeException(nameof(rowsPerClass), rowsPerClass, "At least one row per class must be taken.");
        var classes = ReadClasses(data, labelColumnName, out _);
        var random = new SplitRandom(seed ?? DefaultSeed);
        var chosen = new List<long>();
        foreach (var rows in classes)
        {
            random.Shuffle<long>(rows);
            chosen.AddRange(rows.Take(rowsPerClass));
        }
        chosen.Sort();
        return new RowSubsetDataView(data, chosen);
    }

    /// <summary>The number of a class's <paramref name="classRows"/> rows that go to the test part.</summary>
    internal static int TestCount(double testFraction, int classRows)
    {
        if (classRows < 2) return 0;
        int rounded = (int)Math.Round(testFraction * classRows, MidpointRounding.AwayFromZero);
        return Math.Clamp(rounded, 1, classRows - 1);
    }

    private static StratifiedTrainTestData Pair<T>(IDataView data, T[] perRow, Func<T, bool> isTest)
    {
        var train = new List<long>();
        var test = new List<long>();
        for (long row = 0; row < perRow.LongLength; row++) (isTest(perRow[row]) ? test : train).Add(row);
        return new StratifiedTrainTestData(new RowSubsetDataView(data, train), new RowSubsetDataView(data, test));
    }

    /// <summary>Row numbers of each class, ascending, classes in ascending label order.</summary>
    private static long[][] ReadClasses(IDataView data, string labelColumnName, out long rowCount)
    {
        ArgumentNullException.ThrowIfNull(labelColumnName);
        var column = data.Schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentException(
                $"Label column '{labelColumnName}' was not found; the data has columns: {string.Join(", ", data.Schema.Select(c => $"'{c.Name}'"))}.",
                nameof(labelColumnName));
        var col = column;
        var type = col.Type;
        return type switch
        {
            KeyDataViewType key when key.RawType == typeof(byte) => Read<byte, ulong>(data, col, v => v, v => v == 0, "a missing key (0)", out rowCount),
            KeyDataViewType key when key.RawType == typeof(ushort) => Read<ushort, ulong>(data, col, v => v, v => v == 0, "a missing key (0)", out rowCount),
            KeyDataViewType key when key.RawType == typeof(uint) => Read<uint, ulong>(data, col, v => v, v => v == 0, "a missing key (0)", out rowCount),
            KeyDataViewType key when key.RawType == typeof(ulong) => Read<ulong, ulong>(data, col, v => v, v => v == 0, "a missing key (0)", out rowCount),
            NumberDataViewType when type.RawType == typeof(sbyte) => Read<sbyte, long>(data, col, v => v, _ => false, "", out rowCount),
            NumberDataViewType when type.RawType == typeof(byte) => Read<byte, long>(data, col, v => v, _ => false, "", out rowCount),
            NumberDataViewType when type.RawType == typeof(short) => Read<short, long>(data, col, v => v, _ => false, "", out rowCount),
            NumberDataViewType when type.RawType == typeof(ushort) => Read<ushort, long>(data, col, v => v, _ => false, "", out rowCount),
            NumberDataViewType when type.RawType == typeof(int) => Read<int, long>(data, col, v => v, _ => false, "", out rowCount),
            NumberDataViewType when type.RawType == typeof(uint) => Read<uint, long>(data, col, v => v, _ => false, "", out rowCount),
            NumberDataViewType when type.RawType == typeof(long) => Read<long, long>(data, col, v => v, _ => false, "", out rowCount),
            NumberDataViewType when type.RawType == typeof(ulong) => Read<ulong, ulong>(data, col, v => v, _ => false, "", out rowCount),
            NumberDataViewType when type.RawType == typeof(float) => Read<float, double>(data, col, v => v, double.IsNaN, "NaN", out rowCount),
            NumberDataViewType when type.RawType == typeof(double) => Read<double, double>(data, col, v => v, double.IsNaN, "NaN", out rowCount),
            BooleanDataViewType => Read<bool, bool>(data, col, v => v, _ => false, "", out rowCount),
            TextDataViewType => Read<ReadOnlyMemory<char>, string>(data, col, v => v.ToString(), string.IsNullOrEmpty, "empty text", out rowCount),
            _ => throw new ArgumentException(
                $"Label column '{col.Name}' has type {type}; a stratified split needs a scalar key, integer, floating-point, Boolean or text column.",
                nameof(labelColumnName)),
        };
    }

    private static long[][] Read<TRaw, TClass>(IDataView data, DataViewSchema.Column column, Func<TRaw, TClass> toClass,
        Func<TClass, bool> isMissing, string missingName, out long rowCount) where TClass : notnull
    {
        var byClass = new Dictionary<TClass, List<long>>();
        long row = 0;
        using (var cursor = data.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<TRaw>(column);
            TRaw raw = default!;
            for (; cursor.MoveNext(); row++)
            {
                getter(ref raw);
                var label = toClass(raw);
                if (isMissing(label))
                    throw new ArgumentException($"Row {row} of label column '{column.Name}' holds {missingName}; every row needs a class.", nameof(data));
                if (!byClass.TryGetValue(label, out var rows)) byClass[label] = rows = [];
                rows.Add(row);
            }
        }
        rowCount = row;
        var order = byClass.Keys.ToArray();
        if (typeof(TClass) == typeof(string)) Array.Sort(order, (IComparer<TClass>)StringComparer.Ordinal);
        else Array.Sort(order);
        return order.Select(label => byClass[label].ToArray()).ToArray();
    }
}
