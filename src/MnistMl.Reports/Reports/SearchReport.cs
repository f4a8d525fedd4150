using System.Globalization;
using System.Net;
using System.Text;
using MnistMl.Experiments;
using MnistMl.IO;

namespace MnistMl.Reports;

/// <summary>
/// One self-contained HTML page about a search's results file (or several shards' files): the ranked table, the
/// refitted best trial's test metrics, and a plot of the score against each searched setting.
/// </summary>
public static class SearchReport
{
    /// <summary>Ranks the records of <paramref name="resultsPaths"/> and writes the page to <paramref name="path"/> atomically; returns the ranked trials.</summary>
    public static IReadOnlyList<TrialRecord> Write(IReadOnlyList<string> resultsPaths, string path)
    {
        var records = ResultsFile.Merge(resultsPaths);
        var first = records[0];
        var ranked = RankedResults.Rank(records, higherIsBetter: first.Metric != "log_loss");
        var refit = records.LastOrDefault(r => r.Kind == "refit");
        string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(first.Experiment)}} — MnistMl search report</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
            h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
            table { border-collapse: collapse; font-size: 0.9em; } td, th { border: 1px solid #ddd; padding: 0.25em 0.6em; }
            td { max-width: 28em; overflow-wrap: anywhere; } tr:nth-child(2) { background: #eef6ee; } img { max-width: 100%; }
            </style></head><body>
            <h1>{{E(first.Experiment)}}</h1>
            <p>{{ranked.Count}} trials, scored by {{E(first.Metric)}}{{(ranked.Any(r => r.Folds.Count > 1) ? $" ({ranked.Max(r => r.Folds.Count)}-fold cross-validation, mean ± std)" : "")}}.</p>
            """);
        if (refit?.Test is { } test)
            html.Append(string.Create(CultureInfo.InvariantCulture,
                $"<p>Best trial {refit.Trial + 1}, refitted on all training rows in {refit.Seconds:F0} s: test accuracy <b>{test["accuracy"]:P2}</b>, macro F1 {test["macro_f1"]:F4}, log-loss {test["log_loss"]:F4}.</p>"));
        html.Append("<h2>Ranked trials</h2><table>");
        var (header, rows) = RankedResults.Table(ranked);
        html.Append("<tr>").Append(string.Concat(header.Select(h => $"<th>{E(h)}</th>"))).Append("</tr>");
        foreach (var row in rows) html.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>");
        html.Append("</table><h2>Score against each setting</h2>");
        foreach (var setting in ranked.SelectMany(r => r.Settings.Keys).Distinct())
            html.Append($"<p><img alt=\"score against {E(setting)}\" src=\"data:image/png;base64,{Convert.ToBase64String(ReportCharts.ScoreBySetting(ranked, setting))}\"></p>");
        html.Append("<p><small>Written by MnistMl; plots by ScottPlot.</small></p></body></html>\n");
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(html.ToString()));
        return ranked;
    }
}
