using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MnistMl.Onnx;
using MnistMl.Onnx.Proto;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;
using MnistMl.Trainers.Transfer;
using MnistMl.Transfer;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Tests;

/// <summary>
/// ONNX MobileNetV2 backbones: a file written by torchvision (Fixtures/MobileNetV2, see
/// tests/reference/make_mobilenet_v2_fixture.py; its batch norms folded into the convolutions), the same graph in the
/// ONNX model zoo's older layout, and backbones MnistMl exports itself. The feature map is found, ML.NET's
/// ApplyOnnxModel serves the pooled features, and the weights import into TorchVision's MobileNetV2 on TorchSharp.
/// </summary>
[TestClass]
public sealed class MobileNetV2BackboneTests
{
    // From /usr/bin/python3 tests/reference/make_mobilenet_v2_fixture.py (torch 1.13, torchvision 0.14).
    private const string FixtureSha256 = "d3affb5b168af39ef4ae66ebec2d968815c113d1d743c007a4a8f81feedde8c3";
    // features[0], features[40], … of the 1280 pooled features, and their sum
    private static readonly float[] ExpectedFeatureSample = [0.0138154617f, 0f, 0f, 0.17082569f, 0f, 0f, 0f, 0f, 0.152133077f, 0f, 0.0950455517f, 0.0670245364f, 0f, 0f, 0.382579952f, 0f, 0f, 0.658134758f, 0f, 0.0515747778f, 0.00299810292f, 0.122193262f, 0f, 0f, 0f, 0.07937143f, 0.0676220059f, 0f, 0f, 0f, 0f, 0.00335259759f];
    private const double ExpectedFeatureSum = 101.014640252;

    private static string Fixture => FixtureFiles.Committed("MobileNetV2", "torchvision_mobilenet_v2_w025_10.onnx");

    /// <summary>The script's test input x[0, c, h, w] = sin(0.3c + 0.11h − 0.07w) + 0.5 cos(0.05hw), float32.</summary>
    private static float[] TestImage(int size = 32)
    {
        var x = new float[3 * size * size];
        for (int c = 0; c < 3; c++)
            for (int h = 0; h < size; h++)
                for (int w = 0; w < size; w++)
                    x[(c * size + h) * size + w] = (float)(Math.Sin(0.3 * c + 0.11 * h - 0.07 * w) + 0.5 * Math.Cos(0.05 * h * w));
        return x;
    }

    private sealed class ImageRow
    {
        [VectorType(3, 32, 32)]
        public float[] Image { get; set; } = [];
    }

    /// <summary>ML.NET's ApplyOnnxModel on the backbone's feature model, for one row of the test image.</summary>
    private static float[] FeaturesThroughMlNet(OnnxBackbone backbone)
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable([new ImageRow { Image = TestImage() }]);
        var transformer = ml.Transforms.ApplyBackbone("Features", backbone, "Image").Fit(data);
        var output = transformer.Transform(data);
        var column = output.Schema["Features"];
        Assert.AreEqual(backbone.FeatureCount, ((VectorDataViewType)column.Type).Size, "the features column has a known size");
        return TestData.Vectors(output, "Features")[0];
    }

    private static void AssertTorchvisionFeatures(IReadOnlyList<float> features)
    {
        Assert.AreEqual(1280, features.Count);
        TestData.Near(ExpectedFeatureSample, features.Where((_, i) => i % 40 == 0).ToArray(), rtol: 1e-4, atol: 1e-5, what: "pooled features");
        Assert.AreEqual(ExpectedFeatureSum, features.Sum(f => (double)f), 1e-3, "sum of the pooled features");
    }

    [TestMethod]
    public void FixtureIsTheFileTheScriptWrote() =>
        Assert.AreEqual(FixtureSha256, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Fixture))).ToLowerInvariant());

    [TestMethod]
    public void FindsTheFeatureMapOfATorchvisionExport()
    {
        var backbone = OnnxBackbone.Load(Fixture);
        Assert.AreEqual("input", backbone.InputName);
        Assert.AreEqual((32, 32), (backbone.InputHeight, backbone.InputWidth));
        // The last ReLU6 (Clip) of features.18, the 1×1 convolution to 1280 channels, before GlobalAveragePool.
        Assert.AreEqual("/features/features.18/features.18.2/Clip_output_0", backbone.FeatureTensor);
        Assert.IsTrue(backbone.FeatureIsMap);
        Assert.AreEqual(1280, backbone.FeatureCount);
        CollectionAssert.AreEqual(new[] { 0.485f, 0.456f, 0.406f }, backbone.Mean.ToArray(), "no normalization in the file: ImageNet's");
        CollectionAssert.AreEqual(new[] { 0.229f, 0.224f, 0.225f }, backbone.Std.ToArray());
        Assert.IsFalse(backbone.NormalizationFromFile);
        // torchvision 0.14's mobilenet_v2(width_mult=0.25).features: 238,112 parameters, of which 2 × 5,328 are batch-norm
        // γ and β (its 10,656 running statistics / 2); folded, each batch norm leaves a bias of its 5,328 channels:
        // 238,112 − 10,656 + 5,328.
        Assert.AreEqual(232_784L, backbone.ParameterCount);
        Assert.AreEqual(232_784L, OnnxBackbone.DescribeFeatureModel(backbone.FeatureModel("Image", "Features")).Parameters);
    }

    [TestMethod]
    public void ApplyBackboneGivesTorchvisionsPooledFeatures() => AssertTorchvisionFeatures(FeaturesThroughMlNet(OnnxBackbone.Load(Fixture)));

    [TestMethod]
    public void FindsTheFeaturesInTheModelZooLayout()
    {
        // The zoo's older MobileNetV2 (mobilenetv2-7) names its input "data" and classifies the pooled map with a 1×1
        // Conv, then flattens; rebuild the fixture that way.
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixture));
        var graph = model.Graph;
        var gemm = graph.Node.Single(n => n.OpType == "Gemm");
        var flatten = graph.Node.Single(n => n.OpType == "Flatten");
        var weight = graph.Initializer.Single(i => i.Name == gemm.Input[1]);
        weight.Dims.Clear();
        weight.Dims.AddRange([10, 1280, 1, 1]);
        var pooled = flatten.Input[0];
        graph.Node.Remove(gemm);
        graph.Node.Remove(flatten);
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "output_pred", Input = { pooled, gemm.Input[1], gemm.Input[2] }, Output = { "pred" } });
        graph.Node.Add(new NodeProto { OpType = "Flatten", Name = "output_flatten", Input = { "pred" }, Output = { "output" } });
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == "input") node.Input[i] = "data";
        graph.Input[0].Name = "data";

        var backbone = OnnxBackbone.Load(model.ToByteArray(), "zoo-layout.onnx");
        Assert.AreEqual("data", backbone.InputName);
        Assert.AreEqual("/features/features.18/features.18.2/Clip_output_0", backbone.FeatureTensor);
        AssertTorchvisionFeatures(FeaturesThroughMlNet(backbone));
    }

    [TestMethod]
    public void NamedFeatureNodeIsUsed()
    {
        // Naming the pooling node itself: its [N, 1280, 1, 1] output pools to the same features.
        var backbone = OnnxBackbone.Load(Fixture, new BackboneOptions { FeatureNode = "/GlobalAveragePool" });
        Assert.AreEqual("/GlobalAveragePool_output_0", backbone.FeatureTensor);
        AssertTorchvisionFeatures(FeaturesThroughMlNet(backbone));
        // A vector tensor is taken as it is.
        var flat = OnnxBackbone.Load(Fixture, new BackboneOptions { FeatureNode = "/Flatten_output_0" });
        Assert.IsFalse(flat.FeatureIsMap);
        AssertTorchvisionFeatures(FeaturesThroughMlNet(flat));
    }

    [TestMethod]
    public void ImportsFoldedWeightsIntoTorchSharpsMobileNetV2()
    {
        var backbone = OnnxBackbone.Load(Fixture);
        Assert.AreEqual(0.25, MobileNetV2Weights.InferAlpha(backbone));
        using var features = new MobileNetV2Features(0.25);
        MobileNetV2Weights.Import(features, backbone);
        features.eval();
        using var noGrad = torch.no_grad();
        using var x = torch.tensor(TestImage(), [1, 3, 32, 32]);
        using var map = features.call(x);
        CollectionAssert.AreEqual(new long[] { 1, 1280, 1, 1 }, map.shape);
        using var pooled = map.mean([2, 3]).flatten();
        AssertTorchvisionFeatures(pooled.data<float>().ToArray());
    }

    [TestMethod]
    public void ExportedBackboneRoundTrips()
    {
        var spec = new NetworkSpec(new MobileNetV2Layer { Alpha = 0.35 }, new GlobalAveragePooling2DLayer(), new DenseLayer(10, "softmax"));
        torch.manual_seed(3);
        using var network = spec.Build([3, 32, 32], 10);
        var features = (MobileNetV2Features)network.Layers[0].Core!;
        // Statistics and affine parameters away from their initial 0/1, so that the BatchNormalization nodes matter.
        using (torch.no_grad())
            foreach (var (_, norm) in features.ConvolutionPairs())
            {
                norm.running_mean!.copy_(torch.randn(norm.running_mean.shape) * 0.1);
                norm.running_var!.copy_(torch.rand(norm.running_var!.shape) + 0.5);
                norm.weight!.copy_(torch.randn(norm.weight.shape) * 0.2 + 1);
                norm.bias!.copy_(torch.randn(norm.bias!.shape) * 0.1);
            }
        network.eval();
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "backbone.onnx");
        OnnxBackboneExporter.Export(network, path, [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f], provenance: "test");

        var image = TestImage();
        using var x = torch.tensor(image, [1, 3, 32, 32]);
        float[] expectedLogits, expectedFeatures;
        using (torch.no_grad())
        {
            using var logits = network.call(x);
            expectedLogits = logits.data<float>().ToArray();
            using var map = features.call(x);
            using var pooled = map.mean([2, 3]).flatten();
            expectedFeatures = pooled.data<float>().ToArray();
        }

        using (var session = OnnxSessions.Open(path))
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(image, [1, 3, 32, 32]))]);
            TestData.Near(expectedLogits, results.Single(r => r.Name == "output").AsTensor<float>().ToArray(), rtol: 1e-4, atol: 1e-5, what: "logits");
        }
        var backbone = OnnxBackbone.Load(path);
        Assert.IsTrue(backbone.NormalizationFromFile);
        CollectionAssert.AreEqual(new[] { 0.5f, 0.5f, 0.5f }, backbone.Mean.ToArray());
        Assert.AreEqual("test", backbone.Metadata[OnnxBackbone.ProvenanceKey]);
        TestData.Near(expectedFeatures, FeaturesThroughMlNet(backbone), rtol: 1e-4, atol: 1e-5, what: "features through ApplyOnnxModel");

        // The BatchNormalization nodes import as they are: the same weights and statistics, bit for bit.
        Assert.AreEqual(0.35, MobileNetV2Weights.InferAlpha(backbone));
        using var imported = new MobileNetV2Features(0.35);
        MobileNetV2Weights.Import(imported, backbone);
        var expected = features.state_dict();
        foreach (var (name, tensor) in imported.state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            Assert.IsTrue(tensor.equal(expected[name]).all().item<bool>(), $"{name} imported unchanged");
        }
    }

    [TestMethod]
    public void CudaWithoutTheGpuBuildIsAClearErrorOrFallsBackToTheCpu()
    {
        // This suite builds with the CPU ONNX Runtime, which has no CUDA provider.
        var ml = new MLContext();
        var backbone = OnnxBackbone.Load(Fixture);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.ApplyBackbone("Features", backbone, "Image", gpuDeviceId: 0));
        StringAssert.Contains(e.Message, "CUDA device 0");
        StringAssert.Contains(e.Message, "Microsoft.ML.OnnxRuntime.Gpu.Linux");
        StringAssert.Contains(e.Message, "fallbackToCpu");
        var data = ml.Data.LoadFromEnumerable([new ImageRow { Image = TestImage() }]);
        var output = ml.Transforms.ApplyBackbone("Features", backbone, "Image", gpuDeviceId: 0, fallbackToCpu: true).Fit(data).Transform(data);
        AssertTorchvisionFeatures(TestData.Vectors(output, "Features")[0]);
    }

    [TestMethod]
    public void BadBackbonesAreNamed()
    {
        using var folder = new TempFolder();
        var garbage = folder.File("garbage.onnx", "not a protobuf at all \u0001\u0002");
        var e1 = Assert.ThrowsExactly<InvalidDataException>(() => OnnxBackbone.Load(garbage));
        StringAssert.Contains(e1.Message, "garbage.onnx");

        var mlp = FixtureFiles.Committed("Onnx", "mlp.onnx");
        var e2 = Assert.Throws<Exception>(() => OnnxBackbone.Load(mlp));
        StringAssert.Contains(e2.Message, "mlp.onnx");

        var e3 = Assert.ThrowsExactly<ArgumentException>(() => OnnxBackbone.Load(Fixture, new BackboneOptions { FeatureNode = "no_such_node" }));
        StringAssert.Contains(e3.Message, "no_such_node");

        var e4 = Assert.ThrowsExactly<ArgumentException>(() => OnnxBackbone.Load(Fixture, new BackboneOptions { InputSize = 64 }));
        StringAssert.Contains(e4.Message, "InputSize 64");

        var e5 = Assert.ThrowsExactly<InvalidDataException>(() => MobileNetV2Weights.Import(new MobileNetV2Features(1.0), OnnxBackbone.Load(Fixture)));
        StringAssert.Contains(e5.Message, "torchvision_mobilenet_v2_w025_10.onnx");

        Assert.ThrowsExactly<FileNotFoundException>(() => OnnxBackbone.Load(Path.Combine(folder.Path, "missing.onnx")));
    }
}
