using System.CommandLine;
using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Pipelines;

namespace MnistMl.Cli;

/// <summary>`mnistml evaluate MODEL`: ML.NET's metrics of a model file on a data set split.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file written by `train`." };
        var dataset = new Option<string?>("--dataset") { Description = "Named data set to evaluate on (default: the one the pipeline trained on)." };
        var split = new Option<DataSplit>("--split") { Description = "Train or Test.", DefaultValueFactory = _ => DataSplit.Test };
        var directory = new Option<DirectoryInfo?>("--directory") { Description = "Folder holding the data set's IDX files." };
        var topK = new Option<int>("--top-k") { Description = "k of the top-k accuracy.", DefaultValueFactory = _ => 3 };
        var command = new Command("evaluate", "Evaluate a model file on a data set split.") { model, dataset, split, directory, topK };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            using var pipeline = TrainedPipeline.Load(r.GetValue(model)!.FullName);
            var ml = new MLContext(seed: 1);
            string? name = r.GetValue(dataset) ?? pipeline.Definition.Data.Dataset;
            var data = name is null
                ? PipelineRunner.LoadData(pipeline.Definition.Data, ml).Test
                : ml.Data.LoadDataSet(name, r.GetValue(split), r.GetValue(directory)?.FullName ?? pipeline.Definition.Data.Directory);
            CommandRunner.Heading($"{pipeline.Definition.Name} on {name ?? "its test data"} ({data.GetRowCount():N0} rows)");
            var metrics = ml.MulticlassClassification.Evaluate(pipeline.Transform(data), pipeline.Definition.LabelColumn, topKPredictionCount: r.GetValue(topK));
            Reports.Metrics(metrics, pipeline.ClassNames);
            return 0;
        }));
        return command;
    }
}
