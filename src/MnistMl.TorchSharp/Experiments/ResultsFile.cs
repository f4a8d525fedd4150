using System.Text;
using System.Text.Json;

namespace MnistMl.Experiments;

/// <summary>
/// A search's results: one JSON line per finished trial, appended and flushed to the disk as each trial ends, so a
/// killed search loses at most the trial it was running. Several processes may append to one file (each line is
/// written under the file's exclusive lock, which readers wait for too). A line cut short by a kill is ignored when the file is read and
/// cut off before the next line is written.
/// </summary>
public static class ResultsFile
{
    // Nulls are written too: History's epochs carry their missing validation values as nulls.
    private static readonly JsonSerializerOptions LineOptions = new(ExperimentDefinition.JsonOptions) { WriteIndented = false, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };

    /// <summary>The default results file: next to the experiment file, NAME.results.jsonl.</summary>
    public static string DefaultPath(string experimentPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(experimentPath))!, Path.GetFileNameWithoutExtension(experimentPath) + ".results.jsonl");

    public static void Append(string path, TrialRecord record)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, LineOptions) + "\n");
        using var stream = Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        CutInterruptedLine(stream);
        stream.Seek(0, SeekOrigin.End);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Removes a last line without its newline: the part of a write that a kill interrupted.</summary>
    private static void CutInterruptedLine(FileStream stream)
    {
        long length = stream.Length, end = length;
        var one = new byte[1];
        while (end > 0)
        {
            stream.Seek(end - 1, SeekOrigin.Begin);
            stream.ReadExactly(one);
            if (one[0] == '\n') break;
            end--;
        }
        if (end < length) stream.SetLength(end);
    }

    /// <summary>The records of a results file (none when it does not exist).</summary>
    /// <param name="path">The results file.</param>
    /// <param name="experiment">With <paramref name="fingerprint"/>: the experiment's name, which every line must carry.</param>
    /// <param name="fingerprint">When given, every line must belong to the experiment with this fingerprint.</param>
    /// <exception cref="InvalidDataException">A complete line is not a record, or belongs to another experiment.</exception>
    public static List<TrialRecord> Read(string path, string? experiment = null, string? fingerprint = null)
    {
        var records = new List<TrialRecord>();
        if (!File.Exists(path)) return records;
        string text;
        using (var stream = Open(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
            text = reader.ReadToEnd();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            bool complete = i < lines.Length - 1;
            TrialRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<TrialRecord>(lines[i], LineOptions);
            }
            catch (JsonException e)
            {
                // The last line without its newline is a write that a kill interrupted: that trial runs again.
                if (!complete) continue;
                throw new InvalidDataException($"Results file '{path}', line {i + 1}, is not a trial record: {e.Message}", e);
            }
            if (record is null) continue;
            if (fingerprint is not null && (record.Fingerprint != fingerprint || record.Experiment != experiment))
                throw new InvalidDataException($"Results file '{path}', line {i + 1}, belongs to experiment '{record.Experiment}' ({record.Fingerprint}), not to '{experiment}' ({fingerprint}): its base pipeline, overrides or selection differ. Use another --results file.");
            records.Add(record);
        }
        return records;
    }

    /// <summary>
    /// Opens the file under .NET's file-sharing lock (an advisory lock on Unix, honoured by other MnistMl
    /// processes), waiting while another process holds it.
    /// </summary>
    private static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(path, mode, access, share);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>
    /// The records of several results files of one experiment — a sharded search's files — combined: the latest
    /// record of each trial, and the latest refit.
    /// </summary>
    /// <exception cref="InvalidDataException">The files belong to different experiments.</exception>
    public static List<TrialRecord> Merge(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new ArgumentException("Name at least one results file to merge.");
        var all = new List<(string Path, TrialRecord Record)>();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"Results file '{path}' does not exist.", path);
            all.AddRange(Read(path).Select(r => (path, r)));
        }
        if (all.Count == 0) throw new InvalidDataException($"The results files hold no records: {string.Join(", ", paths)}.");
        var (firstPath, first) = all[0];
        if (all.FirstOrDefault(a => a.Record.Fingerprint != first.Fingerprint || a.Record.Experiment != first.Experiment) is { Record: not null } other)
            throw new InvalidDataException($"Results file '{other.Path}' belongs to experiment '{other.Record.Experiment}' ({other.Record.Fingerprint}), '{firstPath}' to '{first.Experiment}' ({first.Fingerprint}): only shards of one experiment can be merged.");
        var trials = new Dictionary<string, TrialRecord>();
        TrialRecord? refit = null;
        foreach (var (_, r) in all.OrderBy(a => a.Record.Finished))
            if (r.Kind == "refit") refit = r;
            else trials[r.Hash] = r;
        return [.. trials.Values.OrderBy(r => r.Trial), .. refit is null ? [] : new[] { refit }];
    }

    /// <summary>Writes <paramref name="records"/> as a new results file, atomically (a temporary file renamed over it).</summary>
    public static void Write(string path, IEnumerable<TrialRecord> records)
    {
        IO.AtomicFile.Write(path, stream =>
        {
            foreach (var record in records) stream.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, LineOptions) + "\n"));
        });
    }
}
