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

    /// <summary>Reads the whole file; a ".gz" name (or gzip magic) is decompressed on the fly.</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
            if (content.Length >= 2 && content[0] == 0x1f && content[1] == 0x8b)
            {
                using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                content = plain.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"IDX file '{path}' is not valid gzip: {e.Message}", e);
        }
        return Parse(content, path);
    }

    /// <summary>Parses IDX bytes; <paramref name="source"/> names the origin in error messages.</summary>
    public static IdxArray Parse(ReadOnlySpan<byte> content, string source)
    {
        if (content.Length < 4 || content[0] != 0 || content[1] != 0)
            throw new InvalidDataException($"IDX file '{source}' has a bad magic number (expected 0x0000TTDD, found {Hex(content)}).");
        if (content[2] != UnsignedByte)
            throw new InvalidDataException($"IDX file '{source}' holds element type 0x{content[2]:x2}; only unsigned bytes (0x08) are supported.");
        int rank = content[3];
        if (rank < 1 || rank > 4)
            throw new InvalidDataException($"IDX file '{source}' declares {rank} dimensions; 1 to 4 are supported.");
        int headerLength = 4 + 4 * rank;
        if (content.Length < headerLength)
            throw new InvalidDataException($"IDX file '{source}' is truncated inside its header.");
        var dimensions = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(content.Slice(4 + 4 * i, 4));
            if (dimensions[i] < 0) throw new InvalidDataException($"IDX file '{source}' has a negative size in dimension {i}.");
            expected *= dimensions[i];
        }
        long actual = content.Length - headerLength;
        if (actual != expected)
            throw new InvalidDataException(actual < expected
                ? $"IDX file '{source}' is truncated: [{string.Join(", ", dimensions)}] needs {expected} bytes of data, found {actual}."
                : $"IDX file '{source}' has {actual - expected} bytes after the [{string.Join(", ", dimensions)}] data it declares.");
        return new IdxArray(dimensions, content[headerLength..].ToArray());
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
