namespace MnistMl.Data;

/// <summary>
/// Which physical lines of a text file ML.NET's text loader (5.0) reads, so that errors can name a line: the header
/// is the first line that is not empty and starts with neither '#' nor "//"; after it, empty lines and lines starting
/// with "//" are skipped, and data row k (its row id) is the k-th line left. Used only to read the header and, on the
/// error path, to turn a row id into a line number; the data themselves are parsed by ML.NET.
/// </summary>
internal static class TextLoaderLines
{
    /// <summary>The header line and its 1-based line number, or null for a file without one.</summary>
    public static (string Text, long Line)? Header(string path)
    {
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Length > 0 && text[0] != '#' && !text.StartsWith("//", StringComparison.Ordinal)) return (text, line);
        }
        return null;
    }

    /// <summary>The 1-based line number of data row <paramref name="rowId"/> (0-based).</summary>
    public static long LineOfRow(string path, long rowId)
    {
        long line = Header(path)?.Line ?? 0, row = -1;
        foreach (var text in File.ReadLines(path).Skip((int)line))
        {
            line++;
            if (text.Length == 0 || text.StartsWith("//", StringComparison.Ordinal)) continue;
            if (++row == rowId) return line;
        }
        return line; // not reached for a row the loader produced
    }
}
