namespace MnistMl.Data;

/// <summary>
/// The index arithmetic behind shuffles, samples and splits, on plain row numbers and class labels, so that it
/// can be checked without data. Every method is deterministic for a given generator state.
/// </summary>
public static class RowSampling
{
    /// <summary>A uniformly random permutation of 0..count-1.</summary>
    public static long[] Permutation(long count, SeededRandom random)
    {
        var rows = Identity(count);
        random.Shuffle<long>(rows);
        return rows;
    }

    /// <summary>
    /// The order tf.data's <c>shuffle(buffer_size)</c> produces: a buffer is filled with the first rows; each output
    /// is a random buffer slot, refilled with the next input row; at the end the buffer drains in random order.
    /// </summary>
    public static long[] BufferedShuffle(long count, int bufferSize, SeededRandom random)
    {
        if (bufferSize <= 0) throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "The shuffle buffer must hold at least one row.");
        var order = new long[count];
        var buffer = new List<long>(bufferSize);
        long next = 0, written = 0;
        while (next < count && buffer.Count < bufferSize) buffer.Add(next++);
        while (buffer.Count > 0)
        {
            int slot = (int)random.NextInt64(buffer.Count);
            order[written++] = buffer[slot];
            if (next < count) buffer[slot] = next++;
            else
            {
                buffer[slot] = buffer[^1];
                buffer.RemoveAt(buffer.Count - 1);
            }
        }
        return order;
    }

    /// <summary><paramref name="take"/> distinct rows drawn at random, in ascending order.</summary>
    public static long[] Sample(long count, long take, SeededRandom random)
    {
        if (take < 0 || take > count) throw new ArgumentOutOfRangeException(nameof(take), take, $"Cannot sample {take} of {count} rows.");
        var chosen = Permutation(count, random)[..checked((int)take)];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>Up to <paramref name="perClass"/> random rows of each class, in ascending row order.</summary>
    public static long[] StratifiedSample(IReadOnlyList<long> labels, int perClass, SeededRandom random)
    {
        if (perClass <= 0) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "At least one row per class must be taken.");
        var chosen = new List<long>();
        foreach (var rows in ByClass(labels))
        {
            random.Shuffle<long>(rows);
            chosen.AddRange(rows.Take(perClass));
        }
        chosen.Sort();
        return chosen.ToArray();
    }

    /// <summary>
    /// Splits rows into (train, test) with a fraction of each class (or of all rows, when <paramref name="labels"/>
    /// is null) going to test: round(fraction · n) rows, drawn at random. Both parts keep ascending row order.
    /// </summary>
    public static (long[] Train, long[] Test) Split(long count, double testFraction, IReadOnlyList<long>? labels, SeededRandom random)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The split fraction must be strictly between 0 and 1.");
        var groups = labels is null ? [Identity(count)] : ByClass(labels);
        var test = new List<long>();
        foreach (var rows in groups)
        {
            random.Shuffle<long>(rows);
            test.AddRange(rows.Take((int)Math.Round(testFraction * rows.Length, MidpointRounding.AwayFromZero)));
        }
        var isTest = new bool[count];
        foreach (var row in test) isTest[row] = true;
        var train = Identity(count).Where(r => !isTest[r]).ToArray();
        var testRows = test.ToArray();
        Array.Sort(testRows);
        return (train, testRows);
    }

    /// <summary>
    /// K folds for cross-validation: rows (of each class, when stratified) are shuffled and dealt round-robin into
    /// folds; fold i is the validation part of pair i, the rest its training part. Ascending row order in both.
    /// </summary>
    public static IReadOnlyList<(long[] Train, long[] Validation)> KFold(long count, int folds, IReadOnlyList<long>? labels, SeededRandom random)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        if (folds > count) throw new ArgumentOutOfRangeException(nameof(folds), folds, $"{folds} folds cannot be made from {count} rows.");
        var foldOf = new int[count];
        int dealt = 0;
        foreach (var rows in labels is null ? [Identity(count)] : ByClass(labels))
        {
            random.Shuffle<long>(rows);
            // Continue dealing where the previous class stopped, so fold sizes differ by at most one.
            foreach (var row in rows) foldOf[row] = dealt++ % folds;
        }
        var result = new List<(long[], long[])>();
        for (int f = 0; f < folds; f++)
        {
            var all = Identity(count);
            result.Add((all.Where(r => foldOf[r] != f).ToArray(), all.Where(r => foldOf[r] == f).ToArray()));
        }
        return result;
    }

    private static long[] Identity(long count)
    {
        var rows = new long[count];
        for (long i = 0; i < count; i++) rows[i] = i;
        return rows;
    }

    /// <summary>Row numbers grouped by label, classes in ascending label order.</summary>
    private static long[][] ByClass(IReadOnlyList<long> labels) =>
        Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Select(i => (long)i).ToArray()).ToArray();
}
