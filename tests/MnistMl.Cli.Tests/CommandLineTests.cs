using System.Diagnostics;
using MnistMl.Data;
using SkiaSharp;

namespace MnistMl.Cli.Tests;

/// <summary>The command line run as a process: exit codes, one-line errors, and a train → evaluate → predict round.</summary>
[TestClass]
public sealed class CommandLineTests
{
    /// <summary>Starts the command line in the test folder, its output and errors redirected.</summary>
    private static Process StartCli(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Temp };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MnistMl.Cli.dll"));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        return Process.Start(start)!;
    }

    private static (int ExitCode, string Output, string Error) Cli(params string[] arguments)
    {
        using var process = StartCli(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    private static readonly string Temp = Directory.CreateTempSubdirectory("mnistml-cli").FullName;

    private static string TinyPipeline(string name, string optimizer = "adam", double? learningRate = null)
    {
        var path = Path.Combine(Temp, $"{name}.json");
        File.WriteAllText(path, $$"""
        {
          "name": "{{name}}",
          "data": { "dataset": "mnist", "train_rows": 600, "validation_fraction": 0.2 },
          "transforms": [ { "type": "ScalePixels", "output": "Image" }, { "type": "Flatten", "output": "Features", "input": "Image" } ],
          "feature_column": "Features",
          "network": { "layers": [ { "type": "Dense", "units": 32, "activation": "relu" }, { "type": "Dense", "units": 10, "activation": "softmax" } ] },
          "training": { "optimizer": { "name": "{{optimizer}}"{{(learningRate is { } lr ? $", \"learning_rate\": {lr.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "")}} }, "epochs": 2, "batch_size": 32 }
        }
        """);
        return path;
    }

    [TestMethod]
    public void HelpListsTheCommands()
    {
        var (code, output, _) = Cli("--help");
        Assert.AreEqual(0, code);
        foreach (var command in new[] { "train", "evaluate", "predict", "summary", "datasets" }) StringAssert.Contains(output, command);
        Assert.AreEqual(0, Cli("train", "--help").ExitCode);
    }

    [TestMethod]
    public void ErrorsAreOneLineWithANonZeroExitCode()
    {
        var missing = Cli("train", Path.Combine(Temp, "nope.json"));
        Assert.AreEqual(1, missing.ExitCode);
        StringAssert.StartsWith(missing.Error, "mnistml: Pipeline file");
        Assert.AreEqual(1, missing.Error.Trim().Split('\n').Length);

        var badOptimizer = Cli("train", TinyPipeline("bad", optimizer: "adamax"));
        Assert.AreEqual(1, badOptimizer.ExitCode);
        StringAssert.Contains(badOptimizer.Error, "Unknown optimizer 'adamax'");

        var notAModel = Path.Combine(Temp, "fake.zip");
        File.WriteAllText(notAModel, "text");
        var evaluate = Cli("evaluate", notAModel);
        Assert.AreEqual(1, evaluate.ExitCode);
        StringAssert.Contains(evaluate.Error, "cannot be read");
    }

    [TestMethod]
    public void TrainEvaluatePredictAndSummarize()
    {
        var model = Path.Combine(Temp, "tiny.zip");
        var train = Cli("train", TinyPipeline("tiny"), "--output", model);
        Assert.AreEqual(0, train.ExitCode, train.Error);
        StringAssert.Contains(train.Output, "MicroAccuracy");
        StringAssert.Contains(train.Output, "Confusion table");
        Assert.IsTrue(File.Exists(model));

        var evaluate = Cli("evaluate", model, "--top-k", "2");
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.Error);
        StringAssert.Contains(evaluate.Output, "TopKAccuracy (k = 2)");

        // The first MNIST test digit (a 7) as a grayscale PNG.
        var digits = IdxFile.Read(Path.Combine(DataSetLocation.MnistDirectory(), "t10k-images-idx3-ubyte"));
        var png = Path.Combine(Temp, "seven.png");
        using (var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            System.Runtime.InteropServices.Marshal.Copy(digits.Data, 0, bitmap.GetPixels(), 784);
            using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(png, encoded.ToArray());
        }
        var predict = Cli("predict", model, png, Path.Combine(DataSetLocation.MnistDirectory(), "t10k-images-idx3-ubyte"), "--limit", "3");
        Assert.AreEqual(0, predict.ExitCode, predict.Error);
        StringAssert.Contains(predict.Output, "seven.png");
        StringAssert.Contains(predict.Output, "t10k-images-idx3-ubyte[2]");
        // An IDX file of no images: said, not an empty table.
        string empty = Path.Combine(Temp, "empty-idx3-ubyte");
        File.WriteAllBytes(empty, [0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28]);
        var nothing = Cli("predict", model, empty);
        Assert.AreEqual(1, nothing.ExitCode);
        StringAssert.Contains(nothing.Error, "holds no images: there is nothing to classify");
        // A FIFO (as `predict MODEL <(zcat f.gz)` gives): read once, the format told from its bytes.
        string fifo = Path.Combine(Temp, "digits-fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        byte[] threeDigits = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28, .. digits.Data[..(3 * 784)]];
        var writer = Task.Run(() => File.WriteAllBytes(fifo, threeDigits));
        var fromFifo = Cli("predict", model, fifo);
        Assert.IsTrue(writer.Wait(TimeSpan.FromSeconds(30)), "predict opened the FIFO");
        Assert.AreEqual(0, fromFifo.ExitCode, fromFifo.Error);
        StringAssert.Contains(fromFifo.Output, "digits-fifo[2]");
        Assert.AreEqual(predict.Output.Split('\n').First(l => l.Contains("t10k-images-idx3-ubyte[2]", StringComparison.Ordinal)).Split('│')[2],
            fromFifo.Output.Split('\n').First(l => l.Contains("digits-fifo[2]", StringComparison.Ordinal)).Split('│')[2], "the same prediction as from the file");

        var summary = Cli("summary", model);
        Assert.AreEqual(0, summary.ExitCode, summary.Error);
        StringAssert.Contains(summary.Output, "Total params: 25,450");

        // The exported ONNX model, run by ONNX Runtime, predicts what the model file predicts.
        var onnx = Path.Combine(Temp, "tiny.onnx");
        var export = Cli("export-onnx", model, "--output", onnx, "--uint8");
        Assert.AreEqual(0, export.ExitCode, export.Error);
        StringAssert.Contains(export.Output, "outputs 'probabilities' [N, 10] and 'label' [N]");
        var viaOnnx = Cli("predict", "--onnx", onnx, png, Path.Combine(DataSetLocation.MnistDirectory(), "t10k-images-idx3-ubyte"), "--limit", "3");
        Assert.AreEqual(0, viaOnnx.ExitCode, viaOnnx.Error);
        static string[] Labels(string table) => table.Split('\n').Where(l => l.StartsWith("│ ") && !l.Contains("input")).Select(l => l.Split('│')[2].Trim()).ToArray();
        CollectionAssert.AreEqual(Labels(predict.Output), Labels(viaOnnx.Output));
    }

    [TestMethod]
    public void TrainFromOptionsWithoutAPipelineFile()
    {
        var model = Path.Combine(Temp, "options.zip");
        var train = Cli("train", "--model", "cnn", "--filters", "8", "--dense", "16", "--epochs", "1", "--output", model);
        Assert.AreEqual(0, train.ExitCode, train.Error);
        StringAssert.Contains(train.Output, "mnist-cnn: training");
        StringAssert.Contains(Cli("summary", model).Output, "conv2d (Conv2D)");
        var bad = Cli("train", "--model", "rnn");
        Assert.AreEqual(1, bad.ExitCode);
        StringAssert.Contains(bad.Error, "--model must be mlp or cnn");
    }

    [TestMethod]
    public void DatasetsShowsWhereTheDataIs()
    {
        var (code, output, _) = Cli("datasets");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "mnist");
        StringAssert.Contains(output, "60,000");
        StringAssert.Contains(output, "fashion-mnist");
    }

    private static string TinyExperiment(string name)
    {
        string pipeline = TinyPipeline($"{name}-base");
        var path = Path.Combine(Temp, $"{name}.json");
        File.WriteAllText(path, $$"""
        {
          "name": "{{name}}",
          "pipeline": "{{Path.GetFileName(pipeline)}}",
          "overrides": { "data.validation_fraction": null, "training.threads": 1 },
          "space": { "network.layers[0].units": [8, 16], "training.optimizer.learning_rate": [0.001, 0.003] },
          "selection": { "metric": "accuracy", "validation_fraction": 0.25 }
        }
        """);
        return path;
    }

    [TestMethod]
    public void SearchShardsInParallelProcessesMergeToTheUnshardedRanking()
    {
        string experiment = TinyExperiment("grid");
        var whole = Cli("search", experiment, "--results", "whole.jsonl", "--markdown", "whole.md");
        Assert.AreEqual(0, whole.ExitCode, whole.Error);
        StringAssert.Contains(whole.Output, "4 trials run");
        StringAssert.Contains(whole.Output, "test accuracy");

        // Two shards at once, as two tasks of a job array would run them.
        var shards = new[] { 1, 2 }.Select(i => StartCli("search", experiment, "--results", $"shard{i}.jsonl", "--shard", $"{i}/2")).ToList();
        foreach (var p in shards)
        {
            var output = p.StandardOutput.ReadToEndAsync();
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.AreEqual(0, p.ExitCode, error + output.Result);
            p.Dispose();
        }
        var merged = Cli("search", "merge", "shard1.jsonl", "shard2.jsonl", "--markdown", "merged.md", "--output", "merged.jsonl");
        Assert.AreEqual(0, merged.ExitCode, merged.Error);
        StringAssert.Contains(merged.Output, "4 trials from 2 files");
        static string WithoutTimes(string markdown) => string.Join("\n", markdown.Split('\n').Select(line => line.Length > 0 ? line[..line.TrimEnd().TrimEnd('|').TrimEnd().LastIndexOf('|')] : line));
        Assert.AreEqual(WithoutTimes(File.ReadAllText(Path.Combine(Temp, "whole.md"))), WithoutTimes(File.ReadAllText(Path.Combine(Temp, "merged.md"))));
        Assert.HasCount(4, File.ReadAllLines(Path.Combine(Temp, "merged.jsonl")));

        // --parallel: the same trials in two worker processes writing one file, then the refit.
        var parallel = Cli("search", experiment, "--results", "parallel.jsonl", "--parallel", "2", "--markdown", "parallel.md");
        Assert.AreEqual(0, parallel.ExitCode, parallel.Error);
        StringAssert.Contains(parallel.Output, "[worker 1/2]");
        StringAssert.Contains(parallel.Output, "[worker 2/2]");
        Assert.AreEqual(WithoutTimes(File.ReadAllText(Path.Combine(Temp, "whole.md"))), WithoutTimes(File.ReadAllText(Path.Combine(Temp, "parallel.md"))));

        var resumed = Cli("search", experiment, "--results", "whole.jsonl");
        Assert.AreEqual(0, resumed.ExitCode, resumed.Error);
        StringAssert.Contains(resumed.Output, "0 trials run");

        var badShard = Cli("search", experiment, "--shard", "3/2");
        Assert.AreEqual(1, badShard.ExitCode);
        StringAssert.Contains(badShard.Error, "from 1 to 2");
        File.WriteAllText(Path.Combine(Temp, "typo.json"), File.ReadAllText(experiment).Replace("learning_rate\":", "learning_rat\":"));
        var typo = Cli("search", Path.Combine(Temp, "typo.json"));
        Assert.AreEqual(1, typo.ExitCode);
        StringAssert.Contains(typo.Error, "training.optimizer.learning_rat");
        Assert.AreEqual(1, typo.Error.Trim().Split('\n').Length, typo.Error);
    }

    /// <summary>The epochs a checkpoint folder's checkpoint holds (0 when there is none yet).</summary>
    private static int CheckpointEpochs(string folder)
    {
        var path = Path.Combine(folder, MnistMl.Trainers.TrainingOptions.CheckpointFileName);
        if (!File.Exists(path)) return 0;
        // Replaced by a rename: an open file keeps the checkpoint it was.
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        using var state = zip.GetEntry("state.json")!.Open();
        return System.Text.Json.JsonDocument.Parse(state).RootElement.GetProperty("epochs_completed").GetInt32();
    }

    [TestMethod]
    public void TrainingKilledMidRunAndResumedEndsWithTheUninterruptedRunsModel()
    {
        // About half a second an epoch here, so the kill lands while epochs remain.
        var path = Path.Combine(Temp, "killed.json");
        File.WriteAllText(path, """
        {
          "name": "killed",
          "data": { "dataset": "mnist", "train_rows": 12000, "validation_fraction": 0.1 },
          "transforms": [ { "type": "ScalePixels", "output": "Image" }, { "type": "Flatten", "output": "Features", "input": "Image" } ],
          "feature_column": "Features",
          "network": { "layers": [ { "type": "Dense", "units": 256, "activation": "relu" }, { "type": "Dropout", "rate": 0.3 }, { "type": "Dense", "units": 10, "activation": "softmax" } ] },
          "training": { "optimizer": { "name": "adam" }, "epochs": 6, "batch_size": 64, "seed": 3,
            "callbacks": [ { "type": "ReduceLROnPlateau", "monitor": "val_loss", "factor": 0.5, "patience": 1 }, { "type": "EarlyStopping", "monitor": "val_loss", "patience": 10, "restore_best_weights": true } ] }
        }
        """);
        string whole = Path.Combine(Temp, "ck-whole"), killed = Path.Combine(Temp, "ck-killed");
        var uninterrupted = Cli("train", path, "--checkpoint", whole, "--output", "whole.zip", "--threads", "2");
        Assert.AreEqual(0, uninterrupted.ExitCode, uninterrupted.Output + uninterrupted.Error);

        using (var run = StartCli("train", path, "--checkpoint", killed, "--output", "killed.zip", "--threads", "2"))
        {
            // Drained, so that a full pipe cannot block it.
            _ = run.StandardOutput.ReadToEndAsync();
            _ = run.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (CheckpointEpochs(killed) < 2 && !run.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(5);
            run.Kill(); // SIGKILL: no handler runs, whatever the process was doing
            run.WaitForExit();
            Assert.AreEqual(137, run.ExitCode, "killed, not finished");
        }
        int epochs = CheckpointEpochs(killed);
        Assert.IsTrue(epochs is >= 2 and < 6, $"killed after {epochs} epochs");
        Assert.IsFalse(File.Exists(Path.Combine(Temp, "killed.zip")));

        var resumed = Cli("train", path, "--resume", killed, "--output", "killed.zip", "--threads", "2");
        Assert.AreEqual(0, resumed.ExitCode, resumed.Output + resumed.Error);
        StringAssert.Contains(resumed.Output, $"after epoch {epochs}");
        Assert.AreEqual(6, CheckpointEpochs(killed));

        using var expected = MnistMl.Trainers.SavedNetwork.Load(Path.Combine(Temp, "whole.zip"));
        using var actual = MnistMl.Trainers.SavedNetwork.Load(Path.Combine(Temp, "killed.zip"));
        var weights = actual.Network.state_dict();
        foreach (var (name, tensor) in expected.Network.state_dict())
            CollectionAssert.AreEqual(tensor.data<float>().ToArray(), weights[name].data<float>().ToArray(), name);
        CollectionAssert.AreEqual(expected.History.Epochs.Select(e => e with { Seconds = 0 }).ToArray(), actual.History.Epochs.Select(e => e with { Seconds = 0 }).ToArray());
        Assert.AreEqual(expected.History.RestoredEpoch, actual.History.RestoredEpoch);

        // A new run into a folder holding a checkpoint is refused; it would overwrite the run it belongs to.
        var again = Cli("train", path, "--checkpoint", killed, "--output", "again.zip");
        Assert.AreEqual(1, again.ExitCode);
        StringAssert.Contains(again.Error, "--resume");
    }

    [TestMethod]
    public void NoCommandWritesOverItsInputOrKeepsBlownUpWeights()
    {
        string pipeline = TinyPipeline("guarded");
        string before = File.ReadAllText(pipeline);
        var overPipeline = Cli("train", pipeline, "--output", pipeline);
        Assert.AreEqual(1, overPipeline.ExitCode);
        StringAssert.Contains(overPipeline.Error, "is the input");
        Assert.AreEqual(before, File.ReadAllText(pipeline), "the pipeline is untouched");
        var intoFolder = Cli("train", pipeline, "--output", Temp);
        Assert.AreEqual(1, intoFolder.ExitCode);
        StringAssert.Contains(intoFolder.Error, "is a folder");

        // An .onnx file given to export-onnx without --output: the default output is the input itself.
        string onnx = Path.Combine(Temp, "model.onnx");
        File.WriteAllText(onnx, "not a model, but someone's file");
        var export = Cli("export-onnx", onnx);
        Assert.AreEqual(1, export.ExitCode);
        StringAssert.Contains(export.Error, "The default output");
        Assert.AreEqual("not a model, but someone's file", File.ReadAllText(onnx));
        string link = Path.Combine(Temp, "link.onnx");
        File.CreateSymbolicLink(link, onnx);
        Assert.AreEqual(1, Cli("export-onnx", onnx, "--output", link).ExitCode, "through a link too");

        // Divergence in the first epoch: there are no good weights, so an existing model stays as it was.
        string model = Path.Combine(Temp, "good.zip");
        File.WriteAllText(model, "a good model");
        var diverged = Cli("train", TinyPipeline("diverging", optimizer: "sgd", learningRate: 1e12), "--output", model);
        Assert.AreEqual(2, diverged.ExitCode, diverged.Output + diverged.Error);
        StringAssert.Contains(diverged.Error, "Training diverged");
        StringAssert.Contains(diverged.Error, "nothing was written");
        Assert.AreEqual("a good model", File.ReadAllText(model));
        Assert.IsFalse(diverged.Output.Contains("Model written", StringComparison.Ordinal));
    }

    [TestMethod]
    public void BadFilesEndInOneLineNamingTheFile()
    {
        string empty = Path.Combine(Temp, "empty.onnx");
        File.WriteAllBytes(empty, []);
        string digits = Path.Combine(DataSetLocation.MnistDirectory(), "t10k-images-idx3-ubyte");
        var zeroBytes = Cli("predict", "--onnx", empty, digits);
        Assert.AreEqual(1, zeroBytes.ExitCode);
        StringAssert.Contains(zeroBytes.Error, empty);
        Assert.AreEqual(1, zeroBytes.Error.Trim().Split('\n').Length, zeroBytes.Error);

        // A trained model with one bit flipped in the middle: refused on load, one line, no stack trace.
        string model = Path.Combine(Temp, "flip.zip");
        var train = Cli("train", TinyPipeline("flip"), "--output", model);
        Assert.AreEqual(0, train.ExitCode, train.Error);
        var bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(model, bytes);
        var evaluate = Cli("evaluate", model);
        Assert.AreEqual(1, evaluate.ExitCode);
        StringAssert.StartsWith(evaluate.Error, $"mnistml: Model file '{model}' cannot be read");
        Assert.AreEqual(1, evaluate.Error.Trim().Split('\n').Length, evaluate.Error);
    }
}
