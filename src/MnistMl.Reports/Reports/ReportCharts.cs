using MnistMl.Evaluation;
using MnistMl.Experiments;
using MnistMl.Trainers;
using ScottPlot;

namespace MnistMl.Reports;

/// <summary>The report's plots, drawn by ScottPlot 5 and returned as PNG bytes (a heatmap's cells stay sharp; a browser smooths SVG bitmaps).</summary>
public static class ReportCharts
{
    public const int Width = 640, Height = 360;

    /// <summary>Training and validation loss per epoch, or accuracy (<paramref name="accuracy"/>), as Keras' History plots.</summary>
    public static byte[] Curves(History history, bool accuracy)
    {
        var plot = new Plot();
        double[] epochs = [.. history.Epochs.Select(e => (double)e.Epoch)];
        var train = plot.Add.Scatter(epochs, [.. history.Epochs.Select(e => accuracy ? e.Accuracy : e.Loss)]);
        train.LegendText = accuracy ? "accuracy" : "loss";
        if (history.Epochs.All(e => (accuracy ? e.ValidationAccuracy : e.ValidationLoss) is not null))
        {
            var validation = plot.Add.Scatter(epochs, [.. history.Epochs.Select(e => (accuracy ? e.ValidationAccuracy : e.ValidationLoss)!.Value)]);
            validation.LegendText = accuracy ? "val_accuracy" : "val_loss";
        }
        plot.Title(accuracy ? "Accuracy per epoch" : "Loss per epoch");
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend();
        return Png(plot, Width, Height);
    }

    /// <summary>The learning rate each epoch ran with (schedules and ReduceLROnPlateau change it), on a log scale.</summary>
    public static byte[] LearningRate(History history)
    {
        var plot = new Plot();
        plot.Add.Scatter(history.Epochs.Select(e => (double)e.Epoch).ToArray(), history.Epochs.Select(e => Math.Log10(e.LearningRate)).ToArray());
        plot.Title("Learning rate per epoch (log10)");
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return Png(plot, Width, Height);
    }

    /// <summary>The confusion matrix as a heatmap: rows true classes, columns predicted ones, each row as fractions of its class.</summary>
    public static byte[] ConfusionHeatmap(ClassificationReport report, IReadOnlyList<string> classNames)
    {
        int n = report.ClassCount;
        var fractions = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            double total = report.Counts[t].Sum();
            for (int p = 0; p < n; p++) fractions[t, p] = total == 0 ? 0 : report.Counts[t][p] / total;
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(fractions);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
            {
                var label = plot.Add.Text($"{report.Counts[t][p]:0}", p, n - 1 - t);
                label.LabelFontSize = 10;
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = fractions[t, p] > 0.5 ? Colors.Black : Colors.White;
            }
        Ticks(plot.Axes.Bottom, classNames, reversed: false);
        Ticks(plot.Axes.Left, classNames, reversed: true);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        // Room for the slanted class names.
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Title("Confusion matrix (counts; colour: share of the true class)");
        plot.XLabel("predicted");
        plot.YLabel("true");
        return Png(plot, Width + 80, Width);
    }

    /// <summary>Precision, recall and F1 of each class, side by side.</summary>
    public static byte[] PerClassBars(ClassificationReport report, IReadOnlyList<string> classNames)
    {
        var plot = new Plot();
        string[] names = ["precision", "recall", "F1"];
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (int c = 0; c < report.ClassCount; c++)
        {
            var metrics = report.Classes[c];
            double[] values = [metrics.Precision, metrics.Recall, metrics.F1Score];
            for (int m = 0; m < 3; m++)
                bars.Add(new Bar { Position = c * 4 + m, Value = values[m], FillColor = palette.GetColor(m) });
        }
        plot.Add.Bars(bars);
        for (int m = 0; m < 3; m++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = names[m], FillColor = palette.GetColor(m) });
        plot.ShowLegend(Edge.Bottom);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < report.ClassCount; c++) ticks.AddMajor(c * 4 + 1, classNames[c]);
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 90;
        double lowest = report.Classes.Min(m => Math.Min(m.Precision, Math.Min(m.Recall, m.F1Score)));
        plot.Axes.SetLimitsY(Math.Max(0, Math.Floor((lowest - 0.05) * 20) / 20), 1.0);
        plot.Title("Precision, recall and F1 per class");
        return Png(plot, Width + 160, Height + 40);
    }

    /// <summary>
    /// Each trial's score against one searched setting: numbers on a numeric axis (a log axis when they span more than
    /// a factor of 100, as learning rates do), other values as categories; cross-validated scores with ±1 std bars.
    /// </summary>
    public static byte[] ScoreBySetting(IReadOnlyList<TrialRecord> ranked, string setting)
    {
        var plot = new Plot();
        var scored = ranked.Where(r => r.Score is not null && r.Settings.ContainsKey(setting)).ToList();
        var values = scored.Select(r => Trial.Format(r.Settings[setting])).ToList();
        bool numeric = scored.All(r => r.Settings[setting] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<double>(out _));
        double[] x;
        if (numeric)
        {
            var numbers = scored.Select(r => r.Settings[setting]!.GetValue<double>()).ToArray();
            bool log = numbers.All(n => n > 0) && numbers.Max() / numbers.Min() > 100;
            x = log ? [.. numbers.Select(Math.Log10)] : numbers;
            plot.XLabel(log ? $"log10 {setting}" : setting);
        }
        else
        {
            var categories = values.Distinct().ToList();
            x = [.. values.Select(v => (double)categories.IndexOf(v))];
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (int i = 0; i < categories.Count; i++) ticks.AddMajor(i, categories[i].Length > 40 ? categories[i][..37] + "…" : categories[i]);
            plot.Axes.Bottom.TickGenerator = ticks;
            plot.Axes.Bottom.TickLabelStyle.Rotation = -20;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
            // Room for long values (layer lists, optimizer objects) slanting down to the left.
            plot.Axes.Bottom.MinimumSize = 90;
            plot.Axes.Left.MinimumSize = 180;
            plot.XLabel(setting);
        }
        double[] y = [.. scored.Select(r => r.Score!.Value)];
        var points = plot.Add.ScatterPoints(x, y);
        points.MarkerSize = 8;
        if (scored.Any(r => r.Folds.Count > 1))
            plot.Add.ErrorBar(x, y, [.. scored.Select(r => r.Std.GetValueOrDefault(r.Metric))]);
        plot.YLabel(scored.FirstOrDefault()?.Metric ?? "score");
        plot.Title($"Score against {setting}");
        return Png(plot, Width + 200, Height + 40);
    }

    private static byte[] Png(Plot plot, int width, int height) => plot.GetImageBytes(width, height, ImageFormat.Png);

    private static void Ticks(IAxis axis, IReadOnlyList<string> names, bool reversed)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < names.Count; i++) ticks.AddMajor(reversed ? names.Count - 1 - i : i, names[i]);
        axis.TickGenerator = ticks;
    }
}
