using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;
using MnistMl.Transforms;

namespace MnistMl.Tests;

[TestClass]
public sealed class ReproducibilityTests
{
    /// <summary>
    /// Trains a small network with dropout, shuffling and a validation split: initialization, dropout masks,
    /// shuffles and the split all draw from the trainer's seed.
    /// </summary>
    private static (Dictionary<string, float[]> Weights, string History) Train(int seed)
    {
        var ml = new MLContext(seed: 1);
        var images = ml.Data.LoadImages(Enumerable.Range(0, 600 * 20).Select(i => (float)Math.Sin(i * 0.91)).ToArray(),
            Enumerable.Range(0, 600).Select(i => i % 3).ToArray(), (1, 1, 20));
        var data = ml.Transforms.Flatten("Features", "Image").Fit(images).Transform(images);
        var spec = new NetworkSpec(new DenseLayer(32, "relu") { KernelInitializer = "he_normal" }, new DropoutLayer(0.3), new DenseLayer(3, "softmax"));
        var trainer = ml.MulticlassClassification.Trainers.Network(spec, options: new TrainingOptions
        {
            Epochs = 3, BatchSize = 32, Seed = seed, ValidationFraction = 0.2, Optimizer = new OptimizerSpec("sgd", 0.05) { Momentum = 0.9 },
        });
        using var model = trainer.Fit(data);
        var weights = model.Network.state_dict().ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());
        string history = string.Join(";", model.History.Epochs.Select(e => $"{e.Loss:R},{e.Accuracy:R},{e.ValidationLoss:R},{e.ValidationAccuracy:R}"));
        return (weights, history);
    }

    [TestMethod]
    public void SameSeedGivesIdenticalWeightsAndHistory()
    {
        var first = Train(11);
        var second = Train(11);
        CollectionAssert.AreEquivalent(first.Weights.Keys.ToArray(), second.Weights.Keys.ToArray());
        foreach (var (name, values) in first.Weights) CollectionAssert.AreEqual(values, second.Weights[name], name);
        Assert.AreEqual(first.History, second.History);
    }

    [TestMethod]
    public void DifferentSeedsGiveDifferentTraining()
    {
        var first = Train(11);
        var other = Train(12);
        CollectionAssert.AreNotEqual(first.Weights["dense.weight"], other.Weights["dense.weight"]);
        Assert.AreNotEqual(first.History, other.History);
    }
}
