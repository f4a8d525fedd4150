using System.Buffers.Binary;
using System.IO.Compression;

namespace MnistMl.Data;

/// <summary>
/// Reader of the IDX format used by MNIST and Fashion-MNIST (raw or gzip-compressed): a 4-byte magic number
/// (0, 0, element type, dimension count), big-endian int32 sizes, then the elements row-major.
/// Only unsigned-byte elements (type 0x08) occur in these data sets and are supported.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>
    /// The most data bytes an IDX file may declare (default 1 GiB; MNIST's training images are 47 MB). A header
    /// declaring more is refused before anything is allocated, and a gzip file is never decompressed beyond what
    /// its header declares, so a small file cannot expand into gigabytes.
    /// </summary>
    public static long MaximumBytes { get; set; } = 1L << 30;

    /// <summary>Reads the whole file; gzip content (by its magic bytes) is decompressed on the fly.</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadRawOrGzip(file, path);
    }

    /// <summary>Parses IDX bytes, raw or gzip (by its magic bytes); <paramref name="source"/> names the origin in error messages.</summary>
    public static IdxArray Parse(ReadOnlySpan<byte> content, string source)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return ReadRawOrGzip(stream, source);
    }

    /// <summary>Tells gzip from raw IDX by the first two bytes of a seekable stream, then reads it.</summary>
    private static IdxArray ReadRawOrGzip(Stream stream, string source)
    {
        var magic = new byte[2];
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read < 2 || magic[0] != 0x1f || magic[1] != 0x8b) return ReadFrom(stream, source);
        try
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            return ReadFrom(gzip, source);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("IDX file", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"IDX file '{source}' is not valid gzip: {e.Message}", e);
        }
    }

    /// <summary>Reads the header, then exactly the data it declares (checked, and at most <see cref="MaximumBytes"/>), then checks nothing follows.</summary>
    private static IdxArray ReadFrom(Stream stream, string source)
    {
        var magic = new byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4 || magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"IDX file '{source}' has a bad magic number (expected 0x0000TTDD, found {Hex(magic.AsSpan(0, got))}).");
        if (magic[2] != UnsignedByte)
            throw new InvalidDataException($"IDX file '{source}' holds element type 0x{magic[2]:x2}; only unsigned bytes (0x08) are supported.");
        int rank = magic[3];
        if (rank < 1 || rank > 4)
            throw new InvalidDataException($"IDX file '{source}' declares {rank} dimensions; 1 to 4 are supported.");
        var sizes = new byte[4 * rank];
        if (stream.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false) < sizes.Length)
            throw new InvalidDataException($"IDX file '{source}' is truncated inside its header.");
        var dimensions = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(sizes.AsSpan(4 * i, 4));
            if (dimensions[i] < 0) throw new InvalidDataException($"IDX file '{source}' has a negative size in dimension {i}.");
            // Checked: [16, 2^30, 2^30] must not wrap around to a small size that passes the length check.
            try { expected = checked(expected * dimensions[i]); }
            catch (OverflowException) { expected = long.MaxValue; }
        }
        if (expected > MaximumBytes)
            throw new InvalidDataException($"IDX file '{source}' declares [{string.Join(", ", dimensions)}], {(expected == long.MaxValue ? "more than 2^63" : expected.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} bytes of data, above the {MaximumBytes:N0}-byte limit (IdxFile.MaximumBytes).");
        var data = new byte[expected];
        int actual = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (actual < expected)
            throw new InvalidDataException($"IDX file '{source}' is truncated: [{string.Join(", ", dimensions)}] needs {expected} bytes of data, found {actual}.");
        // One byte more is enough to know the file is longer than it says; a bomb is not read to its end.
        if (stream.Read(new byte[1]) > 0)
            throw new InvalidDataException($"IDX file '{source}' has bytes after the [{string.Join(", ", dimensions)}] data it declares.");
        return new IdxArray(dimensions, data);
    }

    private static string Hex(ReadOnlySpan<byte> content) =>
        content.Length < 4 ? $"{content.Length} bytes" : $"0x{content[0]:x2}{content[1]:x2}{content[2]:x2}{content[3]:x2}";
}

/// <summary>The dimensions and row-major bytes of one IDX file.</summary>
public sealed record IdxArray(int[] Dimensions, byte[] Data)
{
    /// <summary>Number of items (the first dimension).</summary>
    public int Count => Dimensions[0];
}
