using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Tests;

/// <summary>Parameter counts of the seeds' networks, as their Keras model.summary() printed them.</summary>
[TestClass]
public sealed class ModelSummaryTests
{
    private static ModelSummary Summarize(NetworkSpec spec, long[] input, int classes = 10)
    {
        using var network = spec.Build(input, classes);
        return ModelSummary.Of(network);
    }

    [TestMethod]
    public void Seed002SmallCnnHas108618Parameters()
    {
        var spec = new NetworkSpec(
            new Conv2DLayer(16, 3, "relu"), new MaxPool2DLayer(), new DropoutLayer(0),
            new Conv2DLayer(32, 3, "relu"), new MaxPool2DLayer(), new DropoutLayer(0),
            new FlattenLayer(), new DenseLayer(128, "relu"), new DropoutLayer(0), new DenseLayer(10, "softmax"));
        var summary = Summarize(spec, [1, 28, 28]);
        Assert.AreEqual(108618L, summary.TotalParameters);
        CollectionAssert.AreEqual(new long[] { 160, 0, 0, 4640, 0, 0, 0, 102528, 0, 1290 }, summary.Layers.Select(l => l.Parameters).ToArray());
        CollectionAssert.AreEqual(new long[] { 32, 5, 5 }, summary.Layers[4].OutputShape);
    }

    [TestMethod]
    public void Seed004ModelDHas242954ParametersOf704NonTrainable()
    {
        var spec = new NetworkSpec(
            new Conv2DLayer(32, 3, "relu", "same"), new BatchNormalizationLayer(), new MaxPool2DLayer(), new DropoutLayer(0.25),
            new Conv2DLayer(64, 3, "relu", "same"), new BatchNormalizationLayer(), new MaxPool2DLayer(), new DropoutLayer(0.25),
            new Conv2DLayer(128, 3, "relu", "same"), new BatchNormalizationLayer(), new MaxPool2DLayer(), new DropoutLayer(0.4),
            new FlattenLayer(), new DenseLayer(128, "relu"), new BatchNormalizationLayer(), new DropoutLayer(0.5), new DenseLayer(10, "softmax"));
        var summary = Summarize(spec, [1, 28, 28]);
        Assert.AreEqual(242954L, summary.TotalParameters);
        Assert.AreEqual(242250L, summary.TrainableParameters);
        Assert.AreEqual(704L, summary.NonTrainableParameters);
        CollectionAssert.AreEqual(new long[] { 128, 3, 3 }, summary.Layers[10].OutputShape);
        StringAssert.Contains(summary.ToString(), "Total params: 242,954");
        StringAssert.Contains(summary.ToString(), "batch_normalization_3 (BatchNormalization)");
    }

    [TestMethod]
    public void Seed003MlpHasItsWeightAndBiasCounts()
    {
        using var network = new NetworkSpec(new DenseLayer(250, "relu"), new DenseLayer(10, "softmax")).Build([784], 10);
        var weights = network.named_parameters().Where(p => p.name.EndsWith("weight")).Sum(p => p.parameter.NumberOfElements);
        var biases = network.named_parameters().Where(p => p.name.EndsWith("bias")).Sum(p => p.parameter.NumberOfElements);
        Assert.AreEqual(196000L + 2500L, weights);
        Assert.AreEqual(260L, biases);
    }

    [TestMethod]
    public void Seed001BaselineCnnShapes()
    {
        var summary = Summarize(new NetworkSpec(new Conv2DLayer(32, 3, "relu"), new MaxPool2DLayer(), new FlattenLayer(),
            new DenseLayer(100, "relu"), new DenseLayer(10, "softmax")), [1, 28, 28]);
        // Keras: conv2d 320, dense (5408 → 100) 540,900, dense_1 1,010.
        CollectionAssert.AreEqual(new long[] { 320, 0, 0, 540900, 1010 }, summary.Layers.Select(l => l.Parameters).ToArray());
        CollectionAssert.AreEqual(new[] { "conv2d", "max_pooling2d", "flatten", "dense", "dense_1" }, summary.Layers.Select(l => l.Name).ToArray());
    }

    [TestMethod]
    [DataRow("elu", -0.63212055882855767)]        // α = 1: e^-1 − 1
    [DataRow("leaky_relu", -0.2)]                 // tf.nn.leaky_relu's slope 0.2
    [DataRow("selu", -1.1113307378125625)]        // λ·α·(e^-1 − 1)
    public void ActivationsByNameUseKerasParameters(string activation, double expected)
    {
        using var network = new NetworkSpec(
            new DenseLayer(1, activation) { KernelInitializer = "ones" },
            new DenseLayer(2, "softmax") { KernelInitializer = "ones" }).Build([1], 2);
        using var input = torch.tensor(new[] { -1f }, [1, 1]);
        using var logits = network.forward(input);
        Assert.AreEqual(expected, logits.data<float>().ToArray()[0], 1e-6);
    }

    [TestMethod]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new NetworkSpec(
            new Conv2DLayer(8, 3, "relu", "same") { KernelRegularizer = new Regularizer(L2: 1e-4) },
            new MaxPool2DLayer { PoolSize = [2, 2] }, new FlattenLayer(),
            new DenseLayer(16, "elu") { KernelInitializer = "he_normal", ActivityRegularizer = new Regularizer(L1: 1e-5) },
            new DropoutLayer(0.3), new DenseLayer(10, "softmax"));
        string json = spec.ToJson();
        StringAssert.Contains(json, "\"type\": \"Conv2D\"");
        StringAssert.Contains(json, "\"kernel_initializer\": \"he_normal\"");
        var back = NetworkSpec.FromJson(json);
        Assert.AreEqual(json, back.ToJson());
    }
}
