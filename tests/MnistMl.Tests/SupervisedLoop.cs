using MnistMl.Torch;
using MnistMl.Torch.NN;
using MnistMl.Torch.Optim;

namespace MnistMl.Tests;

/// <summary>
/// The minimal classification loop over in-memory tensors, written with the engine binding alone (no toolkit
/// trainer): one shuffled epoch of mini-batch updates with cross-entropy, and accuracy in evaluation mode. The
/// binding's own evidence (MNIST accuracy, flat memory, reproducibility) is tested through it. Every batch runs
/// in its own DisposeScope, so an epoch leaves no native memory behind.
/// </summary>
internal static class SupervisedLoop
{
    /// <summary>Trains one epoch; features [N, …] float32, labels [N] int64. Returns the mean training loss.</summary>
    public static double TrainEpoch(Module model, Optimizer optimizer, Tensor features, Tensor labels, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        long count = features.Size(0);
        if (labels.Size(0) != count)
            throw new ArgumentException($"{count} feature rows but {labels.Size(0)} labels.", nameof(labels));
        model.Train();
        double lossSum = 0;
        using var order = torch.RandPerm(count);
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(batchSize, count - start);
            var index = order.Narrow(0, start, length);
            var x = features.IndexSelect(0, index);
            var y = labels.IndexSelect(0, index);
            optimizer.ZeroGrad();
            var logits = model.Forward(x);
            var loss = Functional.CrossEntropy(logits, y);
            loss.Backward();
            optimizer.Step();
            lossSum += loss.Item() * length;
        }
        return lossSum / count;
    }

    /// <summary>Fraction of rows whose arg-max logit equals the label, computed batch by batch without gradients.</summary>
    public static double Accuracy(Module model, Tensor features, Tensor labels, int batchSize = 1000)
    {
        model.Eval();
        using var _ = torch.NoGrad();
        long count = features.Size(0), correct = 0;
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(batchSize, count - start);
            var predicted = model.Forward(features.Narrow(0, start, length)).Argmax(1);
            correct += (long)predicted.Eq(labels.Narrow(0, start, length)).Sum().Item();
        }
        return (double)correct / count;
    }
}
