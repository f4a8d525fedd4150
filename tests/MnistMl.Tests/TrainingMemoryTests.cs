using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;
using MnistMl.Transforms;
using TorchSharp;

namespace MnistMl.Tests;

[TestClass]
public sealed class TrainingMemoryTests
{
    /// <summary>
    /// Resident memory moves by a few MiB while glibc's allocator settles, more when earlier tests in the same process
    /// left it fragmented (up to 10 MiB seen); the live-handle count is the exact check.
    /// </summary>
    private const long Tolerance = 16L * 1024 * 1024;

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("VmRSS not found in /proc/self/status.");
    }

    /// <summary>TorchSharp's exact count of the tensors created on this thread and not yet disposed.</summary>
    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [TestMethod]
    public void TwentyEpochsOfTheClassifierTrainerDoNotGrowResidentMemory()
    {
        var ml = new MLContext(seed: 1);
        var images = ml.Data.LoadImages(Enumerable.Range(0, 2048 * 64).Select(i => (float)Math.Sin(i * 0.37)).ToArray(),
            Enumerable.Range(0, 2048).Select(i => i % 10).ToArray(), (1, 1, 64));
        var data = ml.Transforms.Flatten("Features", "Image").Fit(images).Transform(images);
        var spec = new NetworkSpec(new DenseLayer(256, "relu") { ActivityRegularizer = new Regularizer(L1: 1e-5) },
            new BatchNormalizationLayer(), new DropoutLayer(0.2), new DenseLayer(10, "softmax"));
        var trainer = ml.MulticlassClassification.Trainers.Network(spec, options: new TrainingOptions { Epochs = 20, BatchSize = 128, Seed = 1, ValidationFraction = 0.1 });
        long afterEpoch2 = 0, afterEpoch20 = 0, handlesAfterEpoch2 = 0, handlesAfterEpoch20 = 0;
        trainer.EpochCompleted += (_, m) =>
        {
            if (m.Epoch == 2) (afterEpoch2, handlesAfterEpoch2) = (ResidentBytes(), LiveTensors());
            if (m.Epoch == 20) (afterEpoch20, handlesAfterEpoch20) = (ResidentBytes(), LiveTensors());
        };
        using var model = trainer.Fit(data);
        Assert.AreEqual(20, model.History.Epochs.Count, "epochs trained");
        Assert.AreEqual(handlesAfterEpoch2, handlesAfterEpoch20, "native tensors alive after epoch 2 and after epoch 20");
        long growth = afterEpoch20 - afterEpoch2; // one leaked [128, 256] activation per step would add ≈ 33 MiB
        Assert.IsTrue(growth < Tolerance, $"resident memory grew by {growth / 1048576.0:F1} MiB between epoch 2 and epoch 20");
    }
}
