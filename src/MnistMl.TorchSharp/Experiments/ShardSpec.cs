using System.Globalization;

namespace MnistMl.Experiments;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based, "i/n"): trial k (0-based, in plan order) belongs to
/// shard (k mod n) + 1, so n independent processes — a Slurm job array, a Kubernetes Indexed Job — split a search
/// deterministically, each running only its own trials.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static ShardSpec All { get; } = new(1, 1);

    public bool Contains(int trialIndex) => trialIndex % Count == Index - 1;

    public override string ToString() => $"{Index}/{Count}";

    /// <exception cref="ArgumentException">Not "i/n" with 1 &lt;= i &lt;= n.</exception>
    public static ShardSpec Parse(string text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new ArgumentException($"--shard '{text}' is not of the form i/n (e.g. 2/8).");
        if (count < 1 || index < 1 || index > count)
            throw new ArgumentException($"--shard {text}: the shard number must be from 1 to {Math.Max(count, 1)} (shards are numbered from 1; a 0-based array index needs +1).");
        return new ShardSpec(index, count);
    }
}
