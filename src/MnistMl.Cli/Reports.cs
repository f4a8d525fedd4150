using System.Globalization;
using Microsoft.ML.Data;
using MnistMl.Evaluation;
using MnistMl.Trainers;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>The tables the commands print: Keras' History, ML.NET's metrics with the classification report, the confusion table.</summary>
internal static class Reports
{
    public static Table History(History history)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("History");
        foreach (var header in new[] { "epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds" }) table.AddColumn(new TableColumn(header).RightAligned());
        foreach (var e in history.Epochs)
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.Loss), P(e.Accuracy), e.ValidationLoss is { } vl ? F(vl) : "-",
                e.ValidationAccuracy is { } va ? P(va) : "-", e.LearningRate.ToString("G3", CultureInfo.InvariantCulture), e.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>ML.NET's multiclass metrics, the per-class report (scikit-learn's classification_report) and ML.NET's confusion table.</summary>
    public static void Metrics(MulticlassClassificationMetrics metrics, IReadOnlyList<string> classNames)
    {
        var report = metrics.GetClassificationReport(classNames);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("MicroAccuracy", P(metrics.MicroAccuracy));
        table.AddRow("MacroAccuracy", P(metrics.MacroAccuracy));
        table.AddRow("LogLoss", F(metrics.LogLoss));
        table.AddRow("LogLossReduction", F(metrics.LogLossReduction));
        if (metrics.TopKPredictionCount > 0) table.AddRow($"TopKAccuracy (k = {metrics.TopKPredictionCount})", P(metrics.TopKAccuracy));
        table.AddRow("MacroF1 / WeightedF1", $"{F(report.MacroAverage.F1Score)} / {F(report.WeightedAverage.F1Score)}");
        table.AddRow("rows", report.TotalSupport.ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        Console.WriteLine();
        Console.WriteLine(report.Format(4));
        Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
    private static string P(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
