using MnistMl.Torch.NN;

namespace MnistMl.Torch.Tests;

/// <summary>Module Save/Load (state_dict files): round trip, shape mismatch, damaged files.</summary>
[TestClass]
public sealed class ModuleStateDictTests
{
    private string directory = "";

    [TestInitialize]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), "mnistml-statedict-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TestCleanup]
    public void DeleteDirectory()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    private static Sequential Network(long outputs = 4) => new(
        new Conv2d(2, 3, (3, 3)), new Activation("relu"), new MaxPool2d((2, 2)), new Flatten(), new Linear(27, outputs));

    private static float[] Evaluate(Module model)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var x = Inputs.Make([2, 2, 8, 8], salt: 74);
        return model.Forward(x).ToArray<float>();
    }

    private string SavedNetwork()
    {
        var path = Path.Combine(directory, "model.mnml");
        using var model = SequentialParity.Create();
        model.Save(path);
        return path;
    }

    [TestMethod]
    public void SaveThenLoadIntoAFreshSequentialGivesIdenticalOutputs()
    {
        var path = SavedNetwork();
        using var original = SequentialParity.Create();
        torch.ManualSeed(3);
        using var restored = Network();
        CollectionAssert.AreNotEqual(Evaluate(original), Evaluate(restored), "the fresh network starts different");
        restored.Load(path);
        CollectionAssert.AreEqual(Evaluate(original), Evaluate(restored));
        // And the restored network is PyTorch's network.
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        Parity.Output("Sequential", restored.Forward(Inputs.Make([2, 2, 8, 8], salt: 74)));
    }

    [TestMethod]
    public void LoadingIntoADifferentShapeNamesTheParameter()
    {
        var path = SavedNetwork();
        using var other = Network(outputs: 5);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => other.Load(path));
        StringAssert.Contains(error.Message, "4.weight");
        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public void TruncatedFileIsRejectedWithItsPath()
    {
        var path = SavedNetwork();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var model = Network();
        var error = Assert.ThrowsExactly<InvalidDataException>(() => model.Load(path));
        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public void BitFlippedFileIsRejectedWithItsPath()
    {
        var path = SavedNetwork();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        using var model = Network();
        var error = Assert.ThrowsExactly<InvalidDataException>(() => model.Load(path));
        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public void FailedLoadLeavesTheModuleUnchanged()
    {
        var path = SavedNetwork();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 40] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        torch.ManualSeed(4);
        using var model = Network();
        var before = Evaluate(model);
        Assert.ThrowsExactly<InvalidDataException>(() => model.Load(path));
        CollectionAssert.AreEqual(before, Evaluate(model));
    }
}
