using System.Globalization;
using System.Text;

namespace MnistMl.Experiments;

/// <summary>
/// Trials ranked by their selection score (best first; failed or diverged trials last), as one table for the
/// terminal, Markdown or CSV: rank, trial, each searched setting, the score's mean ± std over the folds, the other
/// metrics' means and the time.
/// </summary>
public static class RankedResults
{
    public static IReadOnlyList<TrialRecord> Rank(IEnumerable<TrialRecord> records, SelectionSection selection) => Rank(records, selection.HigherIsBetter);

    /// <summary>The latest record of each trial, best score first; ties keep plan order.</summary>
    public static IReadOnlyList<TrialRecord> Rank(IEnumerable<TrialRecord> records, bool higherIsBetter)
    {
        var latest = new Dictionary<string, TrialRecord>();
        foreach (var r in records.Where(r => r.Kind == "trial")) latest[r.Hash] = r;
        return [.. latest.Values
            .OrderBy(r => r.Score is null)
            .ThenBy(r => r.Score is { } s ? (higherIsBetter ? -s : s) : 0)
            .ThenBy(r => r.Trial)];
    }

    /// <summary>Header and rows of the ranked table, as text cells.</summary>
    public static (string[] Header, List<string[]> Rows) Table(IReadOnlyList<TrialRecord> ranked)
    {
        var settings = ranked.SelectMany(r => r.Settings.Keys).Distinct().ToList();
        string metric = ranked.FirstOrDefault()?.Metric ?? "accuracy";
        var others = ranked.SelectMany(r => r.Mean.Keys).Distinct().Where(m => m != metric).ToList();
        int folds = ranked.Select(r => r.Folds.Count).DefaultIfEmpty(0).Max();
        string[] header = ["rank", "trial", .. settings, folds > 1 ? $"{metric} (mean ± std, {folds} folds)" : metric, .. others, "seconds"];
        var rows = new List<string[]>();
        for (int i = 0; i < ranked.Count; i++)
        {
            var r = ranked[i];
            string score = r.Score is { } s ? (folds > 1 ? $"{F(s)} ± {F(r.Std.GetValueOrDefault(metric))}" : F(s)) : (r.Note ?? "-");
            rows.Add([
                (i + 1).ToString(CultureInfo.InvariantCulture), (r.Trial + 1).ToString(CultureInfo.InvariantCulture),
                .. settings.Select(k => r.Settings.TryGetValue(k, out var v) ? Trial.Format(v) : ""),
                score, .. others.Select(m => r.Mean.TryGetValue(m, out var v) ? F(v) : "-"),
                r.Seconds.ToString("F0", CultureInfo.InvariantCulture)]);
        }
        return (header, rows);
    }

    public static string ToMarkdown(IReadOnlyList<TrialRecord> ranked)
    {
        var (header, rows) = Table(ranked);
        var text = new StringBuilder();
        text.AppendLine($"| {string.Join(" | ", header.Select(Escape))} |");
        text.AppendLine($"|{string.Concat(header.Select(_ => "---|"))}");
        foreach (var row in rows) text.AppendLine($"| {string.Join(" | ", row.Select(Escape))} |");
        return text.ToString();

        static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
    }

    public static string ToCsv(IReadOnlyList<TrialRecord> ranked)
    {
        var (header, rows) = Table(ranked);
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header)) text.AppendLine(string.Join(",", row.Select(Quote)));
        return text.ToString();

        static string Quote(string cell) => cell.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
