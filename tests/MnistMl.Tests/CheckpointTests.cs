using Microsoft.ML;
using MnistMl.Trainers;
using MnistMl.Trainers.Callbacks;
using MnistMl.Trainers.Layers;
using MnistMl.Transforms;

namespace MnistMl.Tests;

/// <summary>
/// Training checkpoints: a run stopped after any epoch and resumed from its checkpoint ends with exactly the weights
/// and History of the same run left alone — with dropout, batch norm, shuffling, a validation split, Adam, a schedule,
/// ReduceLROnPlateau and EarlyStopping's kept weights all carrying state across the stop. (The command line's
/// SIGKILL test is in MnistMl.Cli.Tests.)
/// </summary>
[TestClass]
public sealed class CheckpointTests
{
    private static IDataView Data(int rows = 600, int features = 20)
    {
        var ml = new MLContext(seed: 1);
        var images = ml.Data.LoadImages(Enumerable.Range(0, rows * features).Select(i => (float)Math.Sin(i * 0.91)).ToArray(),
            Enumerable.Range(0, rows).Select(i => i % 3).ToArray(), (1, 1, features));
        return ml.Transforms.Flatten("Features", "Image").Fit(images).Transform(images);
    }

    private static NetworkSpec Spec(int units = 32) =>
        new(new DenseLayer(units, "relu") { KernelInitializer = "he_normal" }, new BatchNormalizationLayer(), new DropoutLayer(0.3), new DenseLayer(3, "softmax"));

    /// <summary>Adam (its moments and step counts are state); or SGD with momentum (buffers) and Keras' time-based decay (the step count).</summary>
    private static TrainingOptions Options(string folder, int epochs = 6, bool resume = false, bool sgd = false) => new()
    {
        Epochs = epochs,
        BatchSize = 32,
        Seed = 7,
        ValidationFraction = 0.2,
        Optimizer = sgd ? new OptimizerSpec("sgd", 0.05) { Momentum = 0.9, Decay = 1e-3 } : new OptimizerSpec("adam", 0.01),
        CheckpointDirectory = folder,
        ResumeFromCheckpoint = resume,
        Callbacks =
        [
            new LearningRateScheduler { Schedule = "exponential", Factor = 0.9 },
            new ReduceLROnPlateau { Monitor = "val_loss", Patience = 1, Factor = 0.5, MinDelta = 0.01 },
            new EarlyStopping { Monitor = "val_loss", Patience = 50, RestoreBestWeights = true },
        ],
    };

    /// <summary>Trains; with <paramref name="crashAfter"/>, throws when that epoch's metrics arrive, as a crash would (the checkpoint then holds the epoch before).</summary>
    private static (Dictionary<string, double[]> Weights, History History)? Train(TrainingOptions options, int? crashAfter = null, NetworkSpec? spec = null)
    {
        var trainer = new MLContext(seed: 1).MulticlassClassification.Trainers.Network(spec ?? Spec(), options: options);
        trainer.EpochCompleted += (_, m) =>
        {
            if (m.Epoch == crashAfter + 1) throw new IOException("simulated crash");
        };
        try
        {
            using var model = trainer.Fit(Data());
            return (model.Network.state_dict().ToDictionary(p => p.Key, p => p.Value.to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray()), model.History);
        }
        catch (IOException e) when (e.Message == "simulated crash")
        {
            return null;
        }
    }

    private static void AssertSameRun((Dictionary<string, double[]> Weights, History History) expected, (Dictionary<string, double[]> Weights, History History) actual)
    {
        CollectionAssert.AreEquivalent(expected.Weights.Keys.ToArray(), actual.Weights.Keys.ToArray());
        foreach (var (name, values) in expected.Weights) CollectionAssert.AreEqual(values, actual.Weights[name], name);
        // Everything History holds but the wall time of each epoch.
        CollectionAssert.AreEqual(expected.History.Epochs.Select(e => e with { Seconds = 0 }).ToArray(), actual.History.Epochs.Select(e => e with { Seconds = 0 }).ToArray());
        Assert.AreEqual(expected.History.StopReason, actual.History.StopReason);
        Assert.AreEqual(expected.History.RestoredEpoch, actual.History.RestoredEpoch);
        Assert.AreEqual(expected.History.Diverged, actual.History.Diverged);
    }

    [TestMethod]
    public void ResumingAfterACrashGivesTheUninterruptedRunsWeightsAndHistory()
    {
        using var folder = new TempFolder();
        string whole = Path.Combine(folder.Path, "whole"), stopped = Path.Combine(folder.Path, "stopped");
        var uninterrupted = Train(Options(whole))!.Value;
        // EarlyStopping's kept weights cross the stop: the model ends with an earlier epoch's.
        Assert.IsNotNull(uninterrupted.History.RestoredEpoch);

        Assert.IsNull(Train(Options(stopped), crashAfter: 3));
        Assert.IsTrue(File.Exists(Path.Combine(stopped, TrainingOptions.CheckpointFileName)));
        var resumed = Train(Options(stopped, resume: true))!.Value;
        AssertSameRun(uninterrupted, resumed);

        // Stopped again right after the first epoch, and resumed twice: still the same run.
        string twice = Path.Combine(folder.Path, "twice");
        Assert.IsNull(Train(Options(twice), crashAfter: 1));
        Assert.IsNull(Train(Options(twice, resume: true), crashAfter: 4));
        AssertSameRun(uninterrupted, Train(Options(twice, resume: true))!.Value);
    }

    [TestMethod]
    public void AFinishedRunResumedWithMoreEpochsEqualsTheLongerRun()
    {
        using var folder = new TempFolder();
        var longer = Train(Options(Path.Combine(folder.Path, "eight"), epochs: 8, sgd: true))!.Value;
        string six = Path.Combine(folder.Path, "six");
        Train(Options(six, epochs: 6, sgd: true));
        AssertSameRun(longer, Train(Options(six, epochs: 8, resume: true, sgd: true))!.Value);
    }

    [TestMethod]
    public void ANewRunDoesNotOverwriteAFoldersCheckpoint()
    {
        using var folder = new TempFolder();
        Train(Options(folder.Path, epochs: 1));
        var before = File.ReadAllBytes(Path.Combine(folder.Path, TrainingOptions.CheckpointFileName));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Train(Options(folder.Path, epochs: 1)));
        StringAssert.Contains(error.Message, folder.Path);
        StringAssert.Contains(error.Message, "resume");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(Path.Combine(folder.Path, TrainingOptions.CheckpointFileName)));
    }

    [TestMethod]
    public void ResumingRefusesAnotherRunsCheckpoint()
    {
        using var folder = new TempFolder();
        Train(Options(folder.Path, epochs: 2));
        var otherNetwork = Assert.ThrowsExactly<InvalidOperationException>(() => Train(Options(folder.Path, resume: true), spec: Spec(units: 33)));
        StringAssert.Contains(otherNetwork.Message, "another run");
        StringAssert.Contains(otherNetwork.Message, TrainingOptions.CheckpointFileName);
        var otherSettings = Options(folder.Path, resume: true) with { BatchSize = 16 };
        Assert.ThrowsExactly<InvalidOperationException>(() => Train(otherSettings));
    }

    [TestMethod]
    public void ResumingRefusesADamagedCheckpointAndAMissingOneNamingTheFile()
    {
        using var folder = new TempFolder();
        var missing = Assert.ThrowsExactly<FileNotFoundException>(() => Train(Options(folder.Path, resume: true)));
        StringAssert.Contains(missing.Message, Path.Combine(folder.Path, TrainingOptions.CheckpointFileName));

        Train(Options(folder.Path, epochs: 2));
        var path = Path.Combine(folder.Path, TrainingOptions.CheckpointFileName);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var damaged = Assert.ThrowsExactly<InvalidDataException>(() => Train(Options(folder.Path, resume: true)));
        StringAssert.StartsWith(damaged.Message, $"Checkpoint '{path}' cannot be read");
    }

    [TestMethod]
    public void ACheckpointFolderThatIsAFileIsRefusedBeforeTraining()
    {
        using var folder = new TempFolder();
        var file = folder.File("taken", "x");
        var error = Assert.ThrowsExactly<ArgumentException>(() => Train(Options(file)));
        StringAssert.Contains(error.Message, file);
    }
}
