using System.Text.RegularExpressions;

namespace MnistMl.IO;

/// <summary>
/// Writes a file through a temporary sibling and a rename, so readers see the old file or the whole new one. A
/// temporary file left behind by a killed writer is deleted by the next write to the same folder.
/// </summary>
public static partial class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> content) => Write(path, stream => stream.Write(content.Span));

    /// <summary>Lets <paramref name="write"/> fill a temporary sibling of <paramref name="path"/>, flushes it to disk, then renames it over.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        if (Directory.Exists(full)) throw new IOException($"Cannot write '{full}': it is a folder.");
        RemoveLeftovers(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // Held exclusively while it is written: RemoveLeftovers in another process leaves it alone.
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Deletes this class's temporary files in <paramref name="directory"/> that no writer holds: what a writer
    /// killed before its rename left (a full-size copy that nothing would ever remove otherwise).
    /// </summary>
    public static int RemoveLeftovers(string directory)
    {
        int removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, ".*.tmp").Where(f => Temporary().IsMatch(Path.GetFileName(f))).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var file in candidates)
        {
            try
            {
                // A writer holds its file open with an exclusive lock; opening it exclusively here fails then.
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                File.Delete(file);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use by a live writer, or not ours to delete.
            }
        }
        return removed;
    }

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex Temporary();
}
