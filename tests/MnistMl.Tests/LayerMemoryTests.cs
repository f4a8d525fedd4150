using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Tests;

/// <summary>A layer whose weights cannot fit in memory is refused from the spec, naming it, before libtorch allocates anything.</summary>
[TestClass]
public sealed class LayerMemoryTests
{
    [TestMethod]
    public void ALayerOfABillionUnitsIsRefusedBeforeAllocating()
    {
        long before = Environment.WorkingSet;
        var spec = new NetworkSpec(new DenseLayer(64, "relu"), new DenseLayer(1_000_000_000, "relu"), new DenseLayer(10, "softmax"));
        var e = Assert.ThrowsExactly<ArgumentException>(() => spec.Build([784], 10));
        StringAssert.Contains(e.Message, "layer 1 (dense_1, Dense)");
        StringAssert.Contains(e.Message, "would have 65,000,000,000 weights (242.1 GiB as float32");
        Assert.IsTrue(Environment.WorkingSet - before < 500_000_000, "nothing large was allocated");

        var conv = new NetworkSpec(new Conv2DLayer(200_000, 3, "relu"), new Conv2DLayer(200_000, 3, "relu"), new FlattenLayer(), new DenseLayer(10, "softmax"));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => conv.Build([1, 28, 28], 10)).Message, "Conv2D) would have 360,000,200,000 weights");
    }
}
