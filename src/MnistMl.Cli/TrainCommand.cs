using System.CommandLine;
using MnistMl.IO;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>
/// `mnistml train [PIPELINE.json]`: runs a pipeline file — or, without one, a pipeline described by options
/// (`--dataset fashion-mnist --model cnn --filters 32,64 --dense 128`) — shows progress, reports test metrics
/// and writes the model file.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var pipeline = new Argument<FileInfo?>("pipeline") { Description = "Pipeline definition (JSON), e.g. pipelines/quickstart.json; omit it to describe the pipeline with options.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the model file, an ML.NET model (default: NAME.zip in the current folder)." };
        var epochs = new Option<int?>("--epochs") { Description = "Number of epochs (overrides the pipeline file's)." };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's, one per core)." };
        var dataset = new Option<string>("--dataset") { Description = "Without a pipeline file: mnist or fashion-mnist.", DefaultValueFactory = _ => "mnist" };
        var model = new Option<string>("--model") { Description = "Without a pipeline file: mlp or cnn.", DefaultValueFactory = _ => "mlp" };
        var hidden = new Option<string>("--hidden") { Description = "MLP hidden layer sizes, comma-separated.", DefaultValueFactory = _ => "128" };
        var filters = new Option<string>("--filters") { Description = "CNN filters per conv block (conv 3×3 + max-pool), comma-separated.", DefaultValueFactory = _ => "32" };
        var dense = new Option<string>("--dense") { Description = "CNN dense layer sizes after the conv blocks, comma-separated.", DefaultValueFactory = _ => "100" };
        var activation = new Option<string>("--activation") { Description = "Hidden-layer activation (Keras name).", DefaultValueFactory = _ => "relu" };
        var dropout = new Option<double>("--dropout") { Description = "Dropout rate after each hidden layer (0: none)." };
        var optimizer = new Option<string>("--optimizer") { Description = "Optimizer (Keras name): adam, adamw, nadam, sgd, rmsprop, adagrad, adadelta.", DefaultValueFactory = _ => "adam" };
        var learningRate = new Option<double?>("--learning-rate") { Description = "Learning rate (default: Keras' for the optimizer)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => 64 };
        var validation = new Option<double?>("--validation-fraction") { Description = "Fraction of the training images held out for validation.", DefaultValueFactory = _ => 0.1 };
        var backbone = new Option<FileInfo?>("--backbone") { Description = "An ONNX MobileNetV2 backbone replacing the pipeline's (its ApplyBackbone steps and MobileNetV2 layers' weights)." };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "Write a checkpoint to this folder after every epoch (weights, optimizer, History, callback and random state), so that a killed run can be resumed." };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue the run checkpointed in this folder (same pipeline and options); it goes on writing checkpoints there. The result equals an uninterrupted run." };
        var seed = new Option<int>("--seed") { Description = "Seed for initialization, shuffling and splits.", DefaultValueFactory = _ => 1 };
        var command = new Command("train", "Train a pipeline (a file, or options), evaluate it on the test split and save the model.")
        {
            pipeline, output, epochs, threads, dataset, model, hidden, filters, dense, activation, dropout, optimizer, learningRate, batchSize, validation, seed, backbone, checkpoint, resume,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var file = r.GetValue(pipeline);
            var definition = file is not null
                ? PipelineDefinition.Load(file.FullName)
                : FromOptions(r.GetValue(dataset)!, r.GetValue(model)!, r.GetValue(hidden)!, r.GetValue(filters)!, r.GetValue(dense)!, r.GetValue(activation)!,
                    r.GetValue(dropout), r.GetValue(optimizer)!, r.GetValue(learningRate), r.GetValue(batchSize), r.GetValue(validation), r.GetValue(seed));
            if (r.GetValue(backbone) is { } backboneFile) definition = definition.WithBackbone(backboneFile.FullName);
            var (checkpointFolder, resumeFolder) = (r.GetValue(checkpoint)?.FullName, r.GetValue(resume)?.FullName);
            if (checkpointFolder is not null && resumeFolder is not null && checkpointFolder != resumeFolder)
                throw new ArgumentException("--checkpoint and --resume name different folders; a resumed run goes on writing its checkpoints where it reads them: give --resume alone.");
            var training = definition.Training with
            {
                Epochs = r.GetValue(epochs) ?? (file is null ? 5 : definition.Training.Epochs),
                Threads = r.GetValue(threads) ?? definition.Training.Threads,
                CheckpointDirectory = resumeFolder ?? checkpointFolder,
                ResumeFromCheckpoint = resumeFolder is not null,
            };
            definition = definition with { Training = training };
            string modelPath = r.GetValue(output)?.FullName ?? Path.GetFullPath($"{definition.Name}.zip");
            // Checked before training, so a bad output costs nothing and no input is overwritten.
            FileIdentity.CheckOutput(modelPath, "The model file", [file?.FullName, r.GetValue(backbone)?.FullName, definition.Data.TrainCsv, definition.Data.TestCsv,
                training.CheckpointDirectory is { } folder ? Path.Combine(folder, TrainingOptions.CheckpointFileName) : null]);
            return Run(definition, modelPath);
        }));
        return command;
    }

    /// <summary>A pipeline described on the command line: scaled pixels into an MLP (flattened) or a CNN.</summary>
    private static PipelineDefinition FromOptions(string dataset, string model, string hidden, string filters, string dense, string activation,
        double dropout, string optimizer, double? learningRate, int batchSize, double? validation, int seed)
    {
        var layers = new List<LayerSpec>();
        var transforms = new List<TransformSpec> { new ScalePixelsStep { Output = "Image" } };
        string features = "Image";
        switch (model.ToLowerInvariant())
        {
            case "mlp":
                transforms.Add(new FlattenStep { Output = "Features", Input = "Image" });
                features = "Features";
                foreach (var units in Sizes(hidden, "--hidden"))
                {
                    layers.Add(new DenseLayer(units, activation));
                    if (dropout > 0) layers.Add(new DropoutLayer(dropout));
                }
                break;
            case "cnn":
                foreach (var f in Sizes(filters, "--filters"))
                {
                    layers.Add(new Conv2DLayer(f, 3, activation));
                    layers.Add(new MaxPool2DLayer());
                }
                layers.Add(new FlattenLayer());
                foreach (var units in Sizes(dense, "--dense"))
                {
                    layers.Add(new DenseLayer(units, activation));
                    if (dropout > 0) layers.Add(new DropoutLayer(dropout));
                }
                break;
            default:
                throw new ArgumentException($"--model must be mlp or cnn, not '{model}'.");
        }
        layers.Add(new DenseLayer(10, "softmax"));
        return new PipelineDefinition
        {
            Name = $"{dataset}-{model.ToLowerInvariant()}",
            Description = "Pipeline given by command-line options.",
            Data = new DataSection { Dataset = dataset, ValidationFraction = validation, Seed = seed },
            Transforms = transforms,
            FeatureColumn = features,
            Network = new NetworkSpec { Layers = layers },
            Training = new TrainingSection { Optimizer = new OptimizerSpec(optimizer, learningRate), BatchSize = batchSize, Seed = seed },
        };
    }

    private static int[] Sizes(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out sizes[i])) throw new ArgumentException($"{option}: '{parts[i]}' is not a whole number.");
        if (sizes.Length == 0) throw new ArgumentException($"{option} needs at least one size.");
        return sizes;
    }

    private static int Run(PipelineDefinition definition, string modelPath)
    {
        CommandRunner.Heading($"{definition.Name}: training");
        if (definition.Description is { } description) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(description)}[/]");
        var result = TrainingProgressView.Run(definition);
        using var pipeline = result.Pipeline;

        AnsiConsole.Write(Reports.History(pipeline.History));
        var history = pipeline.History;
        if (history.Diverged && history.RestoredEpoch is null)
        {
            // Diverged before any epoch finished: the weights are blown up and there are no better ones to keep.
            Console.Error.WriteLine($"mnistml: {history.StopReason} No epoch finished before that, so there are no weights worth keeping: nothing was written{(File.Exists(modelPath) ? $" ('{modelPath}' is unchanged)" : "")}.");
            return 2;
        }
        if (history.Diverged) Console.Error.WriteLine($"mnistml: {history.StopReason} The weights of epoch {history.RestoredEpoch}, the best before it, are kept.");
        else if (history.StopReason is { } reason) AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(reason)}[/]");
        CommandRunner.Heading($"{definition.Name}: test set");
        Reports.Metrics(result.TestMetrics, pipeline.ClassNames);
        pipeline.Save(modelPath);
        AnsiConsole.MarkupLine($"Trained in {result.TrainingTime.TotalSeconds:F0} s. Model written to [bold]{Markup.Escape(modelPath)}[/].");
        return pipeline.History.Diverged ? 2 : 0;
    }
}
