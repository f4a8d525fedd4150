using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace MnistMl.Pipelines;

/// <summary>
/// Integrity of a model file: <see cref="Seal"/> adds <see cref="ChecksumsEntry"/>, the SHA-256 of every other
/// entry; <see cref="Verify"/> checks, before anything reads the file, that every entry's content matches its
/// zip CRC-32 (which .NET's zip reader does not check) and its SHA-256, that no entry was added or removed, and
/// that no entry expands beyond <see cref="MaximumEntryBytes"/> — so a flipped bit, a truncation or a zip bomb
/// is an error naming the file and the entry, never a model that loads and predicts wrongly. Training
/// checkpoints are sealed the same way.
/// </summary>
public static class ModelFileIntegrity
{
    public const string ChecksumsEntry = "MnistMl/checksums.json";

    /// <summary>The most bytes one entry may expand to (default 2 GiB − 1, the most a .NET array holds).</summary>
    public static long MaximumEntryBytes { get; set; } = int.MaxValue;

    /// <summary>Writes the checksums entry over the archive's other entries (an archive opened in Update mode).</summary>
    public static void Seal(ZipArchive zip)
    {
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries.ToList())
        {
            if (entry.FullName == ChecksumsEntry) continue;
            using var stream = entry.Open();
            sums[entry.FullName] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        zip.GetEntry(ChecksumsEntry)?.Delete();
        using var output = zip.CreateEntry(ChecksumsEntry, CompressionLevel.Optimal).Open();
        JsonSerializer.Serialize(output, sums);
    }

    /// <exception cref="InvalidDataException">The file is damaged, altered or oversized; the message names it and the entry.</exception>
    /// <param name="path">The file.</param>
    /// <param name="kind">What the file is, for messages ("Model file", "Checkpoint").</param>
    public static void Verify(string path, string kind = "Model file")
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(kind, path, $"it is not a zip archive ({e.Message})", e);
        }
        using (zip)
        {
            try
            {
                VerifyEntries(zip, kind, path);
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith(kind, StringComparison.Ordinal))
            {
                // The central directory is read lazily: its damage shows only when the entries are listed.
                throw Damaged(kind, path, $"its zip directory is damaged ({e.Message})", e);
            }
        }
    }

    private static void VerifyEntries(ZipArchive zip, string kind, string path)
    {
        var checksums = zip.GetEntry(ChecksumsEntry)
            ?? throw Damaged(kind, path, kind == "Model file" && zip.GetEntry(PipelineModelFile.PipelineEntry) is null
                ? $"it has no {PipelineModelFile.PipelineEntry} (it is not an MnistMl pipeline's model file; ml.Model.Load reads any ML.NET model)"
                : $"it has no {ChecksumsEntry} (its checksums were removed)");
        Dictionary<string, string> sums;
        try
        {
            sums = JsonSerializer.Deserialize<Dictionary<string, string>>(Content(checksums, kind, path, out _)) ?? [];
        }
        catch (JsonException e)
        {
            throw Damaged(kind, path, $"its {ChecksumsEntry} is not valid JSON ({e.Message})", e);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName == ChecksumsEntry) continue;
            if (!sums.TryGetValue(entry.FullName, out var expected))
                throw Damaged(kind, path, $"entry '{entry.FullName}' is not one it was written with");
            Content(entry, kind, path, out var sha);
            if (!string.Equals(sha, expected, StringComparison.Ordinal))
                throw Damaged(kind, path, $"entry '{entry.FullName}' does not match its SHA-256 (the file was altered)");
            seen.Add(entry.FullName);
        }
        if (sums.Keys.FirstOrDefault(name => !seen.Contains(name)) is { } missing)
            throw Damaged(kind, path, $"entry '{missing}' is missing");
    }

    /// <summary>An entry's bytes, read no further than its declared size and the limit, checked against its CRC-32.</summary>
    private static byte[] Content(ZipArchiveEntry entry, string kind, string path, out string sha256)
    {
        if (entry.Length > MaximumEntryBytes)
            throw Damaged(kind, path, $"entry '{entry.FullName}' declares {entry.Length:N0} bytes, above the {MaximumEntryBytes:N0}-byte limit (ModelFileIntegrity.MaximumEntryBytes)");
        byte[] bytes;
        try
        {
            using var stream = entry.Open();
            bytes = new byte[entry.Length];
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read < bytes.Length || stream.ReadByte() >= 0)
                throw Damaged(kind, path, $"entry '{entry.FullName}' does not hold the {entry.Length:N0} bytes its header declares");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(kind, StringComparison.Ordinal))
        {
            throw Damaged(kind, path, $"entry '{entry.FullName}' cannot be decompressed ({e.Message})", e);
        }
        if (Crc32(bytes) != entry.Crc32)
            throw Damaged(kind, path, $"entry '{entry.FullName}' fails its CRC-32 check (the file is damaged)");
        sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return bytes;
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The zip format's CRC-32 (ISO-HDLC: reflected polynomial 0xEDB88320).</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static InvalidDataException Damaged(string kind, string path, string why, Exception? inner = null) =>
        new($"{kind} '{path}' cannot be read: {why}.", inner);
}
