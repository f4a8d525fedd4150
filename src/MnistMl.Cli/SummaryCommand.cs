using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Pipelines;
using MnistMl.Trainers;

namespace MnistMl.Cli;

/// <summary>`mnistml summary FILE`: Keras' model.summary() of a pipeline definition or a model file.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A pipeline definition (.json) or a model file written by `train`." };
        var command = new Command("summary", "Show the layers, output shapes and parameter counts of a pipeline or model.") { file };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var path = r.GetValue(file)!.FullName;
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                var definition = PipelineDefinition.Load(path);
                var ml = new MLContext(seed: 1);
                // The transforms fitted on one training row give the feature column's shape.
                var sample = ml.Data.TakeRows(PipelineRunner.LoadData(definition.Data, ml).Train, 1);
                var schema = definition.Transforms.Aggregate(sample, (data, step) => step.CreateEstimator(ml).Fit(data).Transform(data)).Schema;
                var features = schema.GetColumnOrNull(definition.FeatureColumn)?.Type as VectorDataViewType
                    ?? throw new ArgumentException($"The pipeline's transforms give no vector column '{definition.FeatureColumn}'.");
                var classes = schema.GetColumnOrNull(definition.LabelColumn)?.Type is KeyDataViewType key ? (int)key.Count
                    : throw new ArgumentException($"The pipeline's label column '{definition.LabelColumn}' is not a key column.");
                using var network = definition.Network.Build(features.Dimensions.Select(d => (long)d).ToArray(), classes);
                PrintBackbones(definition);
                Print(definition.Name, ModelSummary.Of(network));
            }
            else
            {
                using var pipeline = TrainedPipeline.Load(path);
                PrintBackbones(pipeline.Definition);
                Print(pipeline.Definition.Name, pipeline.Network.Summary);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The frozen backbones of ApplyBackbone steps, which run in ONNX Runtime before the network.</summary>
    private static void PrintBackbones(PipelineDefinition definition)
    {
        foreach (var step in definition.Transforms.OfType<ApplyBackboneStep>())
        {
            var (input, features, parameters) = Transfer.OnnxBackbone.DescribeFeatureModel(step.ResolveFeatureModel());
            CommandRunner.Heading($"{definition.Name}: frozen backbone (ONNX Runtime)");
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{step.Backbone}: '{step.Input}' [{string.Join(", ", input)}] → '{step.Output}' [{features}] (global average pooled)\nNon-trainable params: {parameters:N0}\n"));
        }
    }

    private static void Print(string name, ModelSummary summary)
    {
        CommandRunner.Heading($"{name}: network");
        Console.WriteLine(summary.ToString());
    }
}
