using MnistMl.Torch;
using MnistMl.Torch.NN;
using MnistMl.Torch.Optim;

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

    [TestMethod]
    public void TwentyEpochsDoNotGrowResidentMemory()
    {
        torch.ManualSeed(3);
        using var x = torch.Randn([2048, 784]);
        using var y = torch.RandInt(0, 10, 2048);
        using var model = new Sequential(
            new Linear(784, 256), new BatchNorm1d(256), new Activation(ActivationKind.Relu), new Dropout(0.2), new Linear(256, 10));
        using var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);

        long afterEpoch2 = 0, handlesAfterEpoch2 = 0;
        for (int epoch = 1; epoch <= 20; epoch++)
        {
            SupervisedLoop.TrainEpoch(model, optimizer, x, y, batchSize: 128);
            SupervisedLoop.Accuracy(model, x, y, batchSize: 256);
            if (epoch == 2) (afterEpoch2, handlesAfterEpoch2) = (ResidentBytes(), torch.LiveTensorCount);
        }
        long afterEpoch20 = ResidentBytes();
        Assert.AreEqual(handlesAfterEpoch2, torch.LiveTensorCount, "native tensors alive after epoch 2 and after epoch 20");

        // A leak is far larger than the tolerance: one [128, 256] activation per step is 128 KiB × 16 steps × 18 epochs
        // ≈ 36 MiB; one input batch per step ≈ 113 MiB.
        long growth = afterEpoch20 - afterEpoch2;
        Assert.IsTrue(growth < Tolerance,
            $"resident memory grew by {growth / 1024.0 / 1024.0:F1} MiB between epoch 2 ({afterEpoch2 / 1048576.0:F1} MiB) and epoch 20 ({afterEpoch20 / 1048576.0:F1} MiB)");
    }

    [TestMethod]
    public void TwentyEpochsOfTheClassifierTrainerDoNotGrowResidentMemory()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromFeatures(Enumerable.Range(0, 2048 * 64).Select(i => (float)Math.Sin(i * 0.37)).ToArray(),
            Enumerable.Range(0, 2048).Select(i => i % 10).ToArray(), 64);
        var spec = new Trainers.NetworkSpec(new Trainers.Layers.DenseLayer(256, "relu") { ActivityRegularizer = new Trainers.Layers.Regularizer(L1: 1e-5) },
            new Trainers.Layers.BatchNormalizationLayer(), new Trainers.Layers.DropoutLayer(0.2), new Trainers.Layers.DenseLayer(10, "softmax"));
        var trainer = ml.Trainers.Sequential(spec, new Trainers.TrainingOptions { Epochs = 20, BatchSize = 128, Seed = 1, ValidationFraction = 0.1 });
        long afterEpoch2 = 0, afterEpoch20 = 0, handlesAfterEpoch2 = 0, handlesAfterEpoch20 = 0;
        trainer.EpochCompleted += (_, m) =>
        {
            if (m.Epoch == 2) (afterEpoch2, handlesAfterEpoch2) = (ResidentBytes(), torch.LiveTensorCount);
            if (m.Epoch == 20) (afterEpoch20, handlesAfterEpoch20) = (ResidentBytes(), torch.LiveTensorCount);
        };
        using var model = trainer.Fit(data);
        Assert.AreEqual(handlesAfterEpoch2, handlesAfterEpoch20, "native tensors alive after epoch 2 and after epoch 20");
        long growth = afterEpoch20 - afterEpoch2; // as above: one leaked [128, 256] activation per step would add ≈ 33 MiB
        Assert.IsTrue(growth < Tolerance, $"resident memory grew by {growth / 1048576.0:F1} MiB between epoch 2 and epoch 20");
    }
}
