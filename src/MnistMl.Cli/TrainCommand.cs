using System.CommandLine;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>`mnistml train PIPELINE.json`: runs a pipeline file, shows progress, reports test metrics, writes the model file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var pipeline = new Argument<FileInfo>("pipeline") { Description = "Pipeline definition (JSON), e.g. pipelines/quickstart.json." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the model file (default: NAME.mnml in the current folder)." };
        var epochs = new Option<int?>("--epochs") { Description = "Override the pipeline's number of epochs." };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default 1, the fastest on 2 cores)." };
        var command = new Command("train", "Train a pipeline file, evaluate it on the test split and save the model.") { pipeline, output, epochs, threads };
        command.SetAction(r => CommandRunner.Run(() => Run(r.GetValue(pipeline)!, r.GetValue(output), r.GetValue(epochs), r.GetValue(threads))));
        return command;
    }

    private static int Run(FileInfo file, FileInfo? output, int? epochs, int? threads)
    {
        var definition = PipelineDefinition.Load(file.FullName);
        if (epochs is not null || threads is not null)
            definition = definition with { Training = definition.Training with { Epochs = epochs ?? definition.Training.Epochs, Threads = threads ?? definition.Training.Threads } };
        string modelPath = output?.FullName ?? Path.GetFullPath($"{definition.Name}.mnml");

        CommandRunner.Heading($"{definition.Name}: training");
        if (definition.Description is { } description) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(description)}[/]");
        var result = TrainingProgressView.Run(definition);
        using var pipeline = result.Pipeline;

        AnsiConsole.Write(Reports.History(pipeline.History));
        if (pipeline.History.StopReason is { } reason)
            AnsiConsole.MarkupLine(pipeline.History.Diverged ? $"[red]{Markup.Escape(reason)}[/]" : $"[yellow]{Markup.Escape(reason)}[/]");
        CommandRunner.Heading($"{definition.Name}: test set");
        Reports.Metrics(result.TestMetrics);
        pipeline.Save(modelPath);
        AnsiConsole.MarkupLine($"Trained in {result.TrainingTime.TotalSeconds:F0} s. Model written to [bold]{Markup.Escape(modelPath)}[/].");
        return pipeline.History.Diverged ? 2 : 0;
    }
}
