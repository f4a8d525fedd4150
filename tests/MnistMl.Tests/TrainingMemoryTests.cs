using MnistMl.Torch;
using MnistMl.Torch.NN;
using MnistMl.Torch.Optim;
using MnistMl.Training;

namespace MnistMl.Tests;

[TestClass]
public sealed class TrainingMemoryTests
{
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
            new Linear(784, 64), new BatchNorm1d(64), new Activation(ActivationKind.Relu), new Dropout(0.2), new Linear(64, 10));
        using var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);

        long afterEpoch2 = 0;
        for (int epoch = 1; epoch <= 20; epoch++)
        {
            SupervisedLoop.TrainEpoch(model, optimizer, x, y, batchSize: 64);
            SupervisedLoop.Accuracy(model, x, y, batchSize: 256);
            if (epoch == 2) afterEpoch2 = ResidentBytes();
        }
        long afterEpoch20 = ResidentBytes();

        // One leaked input batch per step would add 64·784·4 B × 32 steps × 18 epochs ≈ 115 MB; activations ≈ 9 MB.
        long growth = afterEpoch20 - afterEpoch2;
        Assert.IsTrue(growth < 4L * 1024 * 1024,
            $"resident memory grew by {growth / 1024.0 / 1024.0:F1} MiB between epoch 2 ({afterEpoch2 / 1048576.0:F1} MiB) and epoch 20 ({afterEpoch20 / 1048576.0:F1} MiB)");
    }
}
