using System.CommandLine;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using MnistMl.Transforms;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>`mnistml summary FILE`: Keras-style summary of a pipeline file's network or a model file's.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A pipeline definition (.json) or a model file (.mnml)." };
        var command = new Command("summary", "Show the layers, output shapes and parameter counts of a pipeline or model.") { file };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var path = r.GetValue(file)!.FullName;
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                var definition = PipelineDefinition.Load(path);
                var ml = new MLContext(seed: 1);
                var train = PipelineRunner.LoadData(definition.Data, ml).Train;
                var schema = definition.Transforms.Aggregate(train.Schema, (s, step) => step.CreateEstimator(ml).GetOutputSchema(s));
                var label = schema[definition.LabelColumn].Type;
                using var network = definition.Network.Build(schema[definition.FeatureColumn].Type.Dimensions, label.KeyCount ?? 0);
                Print(definition.Name, ModelSummary.Of(network));
            }
            else
            {
                using var pipeline = TrainedPipeline.Load(path);
                Print(pipeline.Definition.Name, pipeline.Model.Summary);
            }
            return 0;
        }));
        return command;
    }

    private static void Print(string name, ModelSummary summary)
    {
        CommandRunner.Heading($"{name}: network");
        Console.WriteLine(summary.ToString());
    }
}
