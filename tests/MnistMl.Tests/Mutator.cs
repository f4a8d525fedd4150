namespace MnistMl.Tests;

/// <summary>
/// Seeded mutations of a valid file, for fuzzing loaders: bit flips, truncations, length-field edits (a 4-byte
/// word overwritten with 0, 1, a large or a negative value, either byte order), splices (a chunk copied over
/// another place) and inserted or deleted bytes. The same seed gives the same mutants.
/// </summary>
internal sealed class Mutator(byte[] original, int seed)
{
    private readonly Random random = new(seed);

    private static readonly uint[] Interesting = [0, 1, 0x7F, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x0100_0000, 0x4000_0000, 60_000];

    public byte[] Next()
    {
        var bytes = (byte[])original.Clone();
        int steps = 1 + random.Next(3);
        for (int s = 0; s < steps && bytes.Length > 0; s++)
            bytes = random.Next(6) switch
            {
                0 => FlipBits(bytes),
                1 => bytes[..random.Next(bytes.Length)],
                2 => EditWord(bytes),
                3 => Splice(bytes),
                4 => Insert(bytes),
                _ => Delete(bytes),
            };
        return bytes;
    }

    private byte[] FlipBits(byte[] bytes)
    {
        for (int i = 1 + random.Next(8); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        return bytes;
    }

    private byte[] EditWord(byte[] bytes)
    {
        if (bytes.Length < 4) return bytes;
        // Headers hold most length fields: half the edits hit the first 64 bytes.
        int at = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length - 3, 64)) : random.Next(bytes.Length - 3);
        uint value = Interesting[random.Next(Interesting.Length)];
        bool bigEndian = random.Next(2) == 0;
        for (int i = 0; i < 4; i++) bytes[at + i] = (byte)(value >> (8 * (bigEndian ? 3 - i : i)));
        return bytes;
    }

    private byte[] Splice(byte[] bytes)
    {
        int length = 1 + random.Next(Math.Min(bytes.Length, 256));
        int from = random.Next(bytes.Length - length + 1), to = random.Next(bytes.Length - length + 1);
        Array.Copy(bytes, from, bytes, to, length);
        return bytes;
    }

    private byte[] Insert(byte[] bytes)
    {
        int at = random.Next(bytes.Length + 1);
        var extra = new byte[1 + random.Next(16)];
        random.NextBytes(extra);
        return [.. bytes[..at], .. extra, .. bytes[at..]];
    }

    private byte[] Delete(byte[] bytes)
    {
        int at = random.Next(bytes.Length), length = 1 + random.Next(Math.Min(16, bytes.Length - at));
        return [.. bytes[..at], .. bytes[(at + length)..]];
    }
}
