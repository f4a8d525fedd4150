namespace MnistMl.Data;

/// <summary>
/// The generator behind <see cref="StratifiedSplitCatalog"/>: SplitMix64 (Steele, Lea and Flood; Vigna's
/// <c>splitmix64.c</c>), an unbiased bounded draw by rejection, and a Fisher–Yates shuffle. Every step is written out
/// here, so a seed gives the same rows on every machine and every .NET version (System.Random promises neither).
/// </summary>
public sealed class SplitRandom
{
    private ulong state;

    /// <summary>A generator whose state starts at <paramref name="seed"/> (reinterpreted as unsigned 64 bits).</summary>
    public SplitRandom(long seed) => state = unchecked((ulong)seed);

    /// <summary>The generator's whole state: a generator given it draws what this one would draw next (training checkpoints save it).</summary>
    public ulong State
    {
        get => state;
        set => state = value;
    }

    /// <summary>The next 64 SplitMix64 bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = unchecked(state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="bound"/>): draws <see cref="NextUInt64"/> until the value is below
    /// <c>ulong.MaxValue - ulong.MaxValue % bound</c>, then returns it modulo <paramref name="bound"/>.
    /// </summary>
    public int NextBelow(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        ulong range = (ulong)bound;
        ulong limit = ulong.MaxValue - ulong.MaxValue % range;
        ulong value;
        do value = NextUInt64(); while (value >= limit);
        return (int)(value % range);
    }

    /// <summary>Fisher–Yates in place: for i from the last index down to 1, swap item i with item NextBelow(i + 1).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
