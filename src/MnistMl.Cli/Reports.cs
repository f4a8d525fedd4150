using System.Globalization;
using MnistMl.Evaluation;
using MnistMl.Trainers;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>Console renderings of history, metrics and the confusion matrix.</summary>
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

    public static void Metrics(MulticlassClassificationMetrics metrics)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("MicroAccuracy", P(metrics.MicroAccuracy));
        table.AddRow("MacroAccuracy", P(metrics.MacroAccuracy));
        table.AddRow("LogLoss", F(metrics.LogLoss));
        table.AddRow("LogLossReduction", F(metrics.LogLossReduction));
        table.AddRow($"TopKAccuracy (k = {metrics.TopKPredictionCount})", P(metrics.TopKAccuracy));
        table.AddRow("MacroF1 / WeightedF1", $"{F(metrics.MacroF1)} / {F(metrics.WeightedF1)}");
        table.AddRow("rows", metrics.RowCount.ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);

        var perClass = new Table().Border(TableBorder.Rounded).Title("Per class").AddColumn("class");
        foreach (var header in new[] { "precision", "recall", "F1", "log-loss" }) perClass.AddColumn(new TableColumn(header).RightAligned());
        for (int c = 0; c < metrics.ClassNames.Count; c++)
            perClass.AddRow(Markup.Escape(metrics.ClassNames[c]), F(metrics.PerClassPrecision[c]), F(metrics.PerClassRecall[c]), F(metrics.PerClassF1[c]), F(metrics.PerClassLogLoss[c]));
        AnsiConsole.Write(perClass);

        Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
    private static string P(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
