using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using MnistMl.Evaluation;
using MnistMl.IO;
using MnistMl.Pipelines;

namespace MnistMl.Reports;

/// <summary>
/// One self-contained HTML page about a trained pipeline on a data set (every image and plot embedded, nothing
/// fetched): the run's settings and metrics, the model summary, the training curves and learning rate, the
/// confusion-matrix heatmap, per-class precision/recall/F1 bars, the classification report, the most confidently
/// misclassified images with true and predicted class names, and sample images of every class.
/// </summary>
public static class ModelReport
{
    /// <summary>Most misclassified images shown, and samples per class.</summary>
    public const int Mistakes = 36, SamplesPerClass = 8;

    /// <summary>Scores <paramref name="data"/> with <paramref name="pipeline"/> and writes the report to <paramref name="path"/> atomically.</summary>
    public static ClassificationReport Write(TrainedPipeline pipeline, IDataView data, string dataName, string path)
    {
        var scored = ScoredImages.Score(pipeline, data, pipeline.Definition.LabelColumn);
        var names = pipeline.ClassNames;
        var report = ClassificationReport.FromPredictions(scored.TrueClasses, scored.PredictedClasses, names.Count, names);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Html(pipeline, scored, report, dataName)));
        return report;
    }

    private static string Html(TrainedPipeline pipeline, ScoredImages scored, ClassificationReport report, string dataName)
    {
        var names = pipeline.ClassNames;
        var definition = pipeline.Definition;
        var html = new StringBuilder();
        string E(string text) => WebUtility.HtmlEncode(text);
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(definition.Name)}} — MnistMl report</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
            h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
            pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
            table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            .plots img { max-width: 100%; } .grid { display: flex; flex-wrap: wrap; gap: 10px; }
            figure { margin: 0; text-align: center; font-size: 0.75em; width: 96px; } figure img { image-rendering: pixelated; }
            .wrong { color: #b00; }
            </style></head><body>
            <h1>{{E(definition.Name)}}</h1>
            <p>{{E(definition.Description ?? "")}}</p>
            <p>Evaluated on <b>{{E(dataName)}}</b>: {{scored.Count:N0}} images, accuracy <b>{{report.Accuracy:P2}}</b>, macro F1 {{report.MacroAverage.F1Score:F4}}.</p>
            """);
        html.Append("<h2>Run</h2><table>");
        foreach (var (key, value) in pipeline.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            html.Append($"<tr><td>{E(key)}</td><td>{value:G6}</td></tr>");
        if (pipeline.History.StopReason is { } reason) html.Append($"<tr><td>stopped</td><td>{E(reason)}</td></tr>");
        if (pipeline.History.RestoredEpoch is { } restored) html.Append($"<tr><td>weights of epoch</td><td>{restored}</td></tr>");
        html.Append($"</table><details><summary>Pipeline definition</summary><pre>{E(definition.ToJson())}</pre></details>");
        html.Append($"<h2>Model</h2><pre>{E(pipeline.Network.Summary.ToString())}</pre>");
        if (pipeline.History.Epochs.Count > 0)
        {
            html.Append("<h2>Training</h2><div class=\"plots\">");
            html.Append(Plot(ReportCharts.Curves(pipeline.History, accuracy: false), "loss per epoch"));
            html.Append(Plot(ReportCharts.Curves(pipeline.History, accuracy: true), "accuracy per epoch"));
            html.Append(Plot(ReportCharts.LearningRate(pipeline.History), "learning rate per epoch"));
            html.Append("</div><table><tr><th>epoch</th><th>loss</th><th>accuracy</th><th>val_loss</th><th>val_accuracy</th><th>learning rate</th><th>seconds</th></tr>");
            foreach (var e in pipeline.History.Epochs)
                html.Append($"<tr><td>{e.Epoch}</td><td>{e.Loss:F4}</td><td>{e.Accuracy:F4}</td><td>{e.ValidationLoss:F4}</td><td>{e.ValidationAccuracy:F4}</td><td>{e.LearningRate:G4}</td><td>{e.Seconds:F1}</td></tr>");
            html.Append("</table>");
        }
        html.Append("<h2>Confusion matrix</h2><div class=\"plots\">");
        html.Append(Plot(ReportCharts.ConfusionHeatmap(report, names), "confusion matrix heatmap"));
        html.Append("</div><h2>Per class</h2><div class=\"plots\">");
        html.Append(Plot(ReportCharts.PerClassBars(report, names), "precision, recall and F1 per class"));
        html.Append($"</div><pre>{E(report.Format(4))}</pre>");
        html.Append("<h2>Most confidently misclassified</h2><div class=\"grid\">");
        foreach (int row in scored.MostConfidentMistakes().Take(Mistakes))
            html.Append($"<figure><img src=\"{ImageTiles.DataUri(scored, row)}\" alt=\"row {row}\"><figcaption>{E(names[scored.TrueClasses[row]])} → <span class=\"wrong\">{E(names[scored.PredictedClasses[row]])}</span> {scored.Confidence[row]:P0}</figcaption></figure>");
        html.Append("</div><h2>Samples per class</h2>");
        foreach (var (c, rows) in scored.SamplesPerClass(names.Count, SamplesPerClass))
        {
            html.Append($"<h3>{E(names[c])}</h3><div class=\"grid\">");
            foreach (int row in rows)
                html.Append($"<figure><img src=\"{ImageTiles.DataUri(scored, row)}\" alt=\"{E(names[c])}\"><figcaption class=\"{(scored.PredictedClasses[row] == c ? "" : "wrong")}\">{E(names[scored.PredictedClasses[row]])}</figcaption></figure>");
            html.Append("</div>");
        }
        html.Append("<p><small>Written by MnistMl; plots by ScottPlot.</small></p></body></html>\n");
        return html.ToString();
    }

    /// <summary>A plot as an img element with a data URI: the page stays one file.</summary>
    private static string Plot(byte[] png, string alt) =>
        $"<img alt=\"{WebUtility.HtmlEncode(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
}
