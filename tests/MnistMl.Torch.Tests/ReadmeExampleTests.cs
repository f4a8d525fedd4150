using MnistMl.Torch.NN;
using MnistMl.Torch.Optim;

namespace MnistMl.Torch.Tests;

/// <summary>The binding example of the README, run as written.</summary>
[TestClass]
public sealed class ReadmeExampleTests
{
    [TestMethod]
    public void ExampleStepLowersTheLossAndSavesTheModel()
    {
        torch.ManualSeed(1);
        using var images = torch.Rand([8, 1, 28, 28]);
        using var labels = torch.RandInt(0, 10, 8);
        using var model = new Sequential(
            new Conv2d(1, 32, (3, 3), padding: Padding2d.Same), new Activation("relu"),
            new MaxPool2d((2, 2)), new Flatten(), new Linear(32 * 14 * 14, 10));
        using var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);

        double first = 0, last = 0;
        for (int step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            var logits = model.Forward(images);
            var loss = Functional.CrossEntropy(logits, labels);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            if (step == 0) first = loss.Item();
            last = loss.Item();
        }
        Assert.IsTrue(last < first, $"loss went from {first} to {last}");

        var path = Path.Combine(Directory.CreateTempSubdirectory("readme").FullName, "model.mnml");
        model.Save(path);
        Assert.IsTrue(File.Exists(path));
    }
}
