using MnistMl.Torch;
using MnistMl.Torch.NN;
using MnistMl.Torch.Optim;

namespace MnistMl.Tests;

[TestClass]
public sealed class ReproducibilityTests
{
    /// <summary>Initialization, dropout masks and shuffling all draw from the seeded generator.</summary>
    private static (float[] Weights, double Loss) TrainWithDropout(ulong seed)
    {
        torch.ManualSeed(seed);
        using var x = torch.Randn([512, 20]);
        using var y = torch.RandInt(0, 3, 512);
        using var model = new Sequential(
            new Linear(20, 32, weightInitializer: Initializer.HeNormal), new Activation("relu"), new Dropout(0.3), new Linear(32, 3));
        using var optimizer = new SGD(model.Parameters(), learningRate: 0.05, momentum: 0.9);
        double loss = 0;
        for (int epoch = 0; epoch < 3; epoch++) loss = SupervisedLoop.TrainEpoch(model, optimizer, x, y, batchSize: 32);
        return (((Linear)model[0]).Weight.ToArray<float>(), loss);
    }

    [TestMethod]
    public void SameSeedGivesIdenticalTraining()
    {
        var first = TrainWithDropout(11);
        var second = TrainWithDropout(11);
        CollectionAssert.AreEqual(first.Weights, second.Weights);
        Assert.AreEqual(first.Loss, second.Loss);
    }

    [TestMethod]
    public void DifferentSeedsGiveDifferentTraining()
    {
        var first = TrainWithDropout(11);
        var other = TrainWithDropout(12);
        CollectionAssert.AreNotEqual(first.Weights, other.Weights);
    }
}
