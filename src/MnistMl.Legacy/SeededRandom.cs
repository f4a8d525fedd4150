namespace MnistMl;

/// <summary>
/// A small deterministic generator (SplitMix64) for shuffles, samples and splits: the same seed gives the same
/// sequence on every machine and .NET version, which System.Random does not promise.
/// </summary>
public sealed class SeededRandom
{
    private ulong state;

    public SeededRandom(long seed) => state = unchecked((ulong)seed);

    /// <summary>A generator seeded from the clock, for callers that gave no seed.</summary>
    public static SeededRandom Unseeded() => new(Environment.TickCount64 ^ Environment.ProcessId);

    public ulong NextUInt64()
    {
        ulong z = unchecked(state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, bound), without modulo bias.</summary>
    public long NextInt64(long bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        ulong range = (ulong)bound;
        ulong limit = ulong.MaxValue - ulong.MaxValue % range;
        ulong value;
        do value = NextUInt64(); while (value >= limit);
        return (long)(value % range);
    }

    /// <summary>A seed for a derived generator (so that independent uses do not share a sequence).</summary>
    public long NextSeed() => unchecked((long)NextUInt64());

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)NextInt64(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
