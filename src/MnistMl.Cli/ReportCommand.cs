using System.CommandLine;
using Microsoft.ML;
using MnistMl.Data;
using MnistMl.IO;
using MnistMl.Pipelines;
using MnistMl.Reports;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>
/// `mnistml report MODEL --output report.html`: the model file's HTML report on a data set split (see
/// <see cref="ModelReport"/>); `mnistml report RESULTS.jsonl…`: a search's (see <see cref="SearchReport"/>).
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo[]>("file") { Description = "Model file written by `train`, or the results file(s) of a search (.jsonl, one per shard).", Arity = ArgumentArity.OneOrMore };
        var dataset = new Option<string?>("--dataset") { Description = "Named data set to report on (default: the pipeline's test data)." };
        var split = new Option<DataSplit>("--split") { Description = "Train or Test (with --dataset).", DefaultValueFactory = _ => DataSplit.Test };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "The HTML file to write (default: the model's path with .html)." };
        var command = new Command("report", "Write one self-contained HTML report of a model file: settings, summary, training curves, confusion heatmap, per-class bars, misclassified and sample images.")
        {
            model, dataset, split, output,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var inputs = r.GetValue(model)!.Select(f => f.FullName).ToList();
            string path = r.GetValue(output)?.FullName ?? Path.ChangeExtension(inputs[0], ".html");
            FileIdentity.CheckOutput(path, r.GetValue(output) is null ? "The default output" : "The report", [.. inputs]);
            if (inputs.All(i => i.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)))
            {
                var ranked = SearchReport.Write(inputs, path);
                AnsiConsole.MarkupLine($"Search report ({ranked.Count} trials) written to [bold]{Markup.Escape(path)}[/].");
                return 0;
            }
            if (inputs.Count > 1) throw new ArgumentException("report takes one model file, or the results files (.jsonl) of one search.");
            string modelPath = inputs[0];
            using var pipeline = TrainedPipeline.Load(modelPath);
            Write(pipeline, r.GetValue(dataset), r.GetValue(split), path);
            return 0;
        }));
        return command;
    }

    /// <summary>Writes the report of <paramref name="pipeline"/> on a named data set split, or on its own test data.</summary>
    public static void Write(TrainedPipeline pipeline, string? dataset, DataSplit split, string path)
    {
        var ml = new MLContext(seed: 1);
        var data = dataset is null
            ? PipelineRunner.LoadData(pipeline.Definition.Data, ml).Test
            : ml.Data.LoadDataSet(dataset, split, pipeline.Definition.Data.Directory);
        string name = dataset is null ? $"{pipeline.Definition.Data.Dataset ?? "the pipeline's"} test data" : $"{dataset} {split.ToString().ToLowerInvariant()}";
        var report = ModelReport.Write(pipeline, data, name, path);
        AnsiConsole.MarkupLine($"Report ({Markup.Escape(name)}, accuracy {report.Accuracy:P2}) written to [bold]{Markup.Escape(path)}[/].");
    }
}
