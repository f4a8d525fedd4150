using MnistMl.Data;
using MnistMl.Onnx;
using MnistMl.Pipelines;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Tests;

/// <summary>
/// Exported seed pipelines run through ONNX Runtime (ApplyOnnxModel) give the libtorch pipeline's probabilities
/// within 1e-4 and the same predicted labels on 1,000 test images. Training is cut short: parity needs weights, not accuracy.
/// </summary>
[TestClass]
public sealed class OnnxParityTests
{
    private static TrainedPipeline TrainBriefly(string file)
    {
        var definition = PipelineDefinition.Load(FixtureFiles.RepositoryFile("pipelines", file));
        definition = definition with
        {
            Data = definition.Data with { TrainRows = 2000, TrainRowsPerClass = null },
            Training = definition.Training with { Epochs = 1 },
        };
        return PipelineRunner.Run(definition).Pipeline;
    }

    [TestMethod]
    [DataRow("seed000-mlp.json", DisplayName = "MLP")]
    [DataRow("seed001-cnn.json", DisplayName = "CNN")]
    [DataRow("seed003-hog-mlp.json", DisplayName = "HOG → MLP")]
    [DataRow("seed004-model-d.json", DisplayName = "Model D (batch norm, same padding)")]
    public void ExportedPipelineMatchesLibtorch(string file)
    {
        using var pipeline = TrainBriefly(file);
        var path = Path.Combine(FixtureFiles.TempDirectory(), "model.onnx");
        OnnxExporter.Export(pipeline, path);

        var ml = new MLContext(seed: 1);
        var test = ml.Data.TakeRows(ml.Data.LoadDataSet(pipeline.Definition.Data.Dataset!, DataSplit.Test), 1000);
        var onnx = ml.Transforms.ApplyOnnxModel(path, ["OnnxScore", "OnnxLabel"], ["Image"], modelOutputNames: ["probabilities", "label"]).Fit(test);
        using var session = onnx;
        using var expected = pipeline.Transform(test).GetRows(0, 1000, ["Score", "PredictedLabel"]);
        using var actual = onnx.Transform(test).GetRows(0, 1000, ["OnnxScore", "OnnxLabel"]);
        using var difference = (expected["Score"] - actual["OnnxScore"]).abs().max();
        Assert.IsTrue(difference.ToDouble() <= 1e-4, $"largest probability difference {difference.ToDouble():G3}");
        CollectionAssert.AreEqual(expected["PredictedLabel"].data<long>().ToArray(), actual["OnnxLabel"].data<long>().ToArray());
    }

    [TestMethod]
    public void IntermediateNodesBecomeColumns()
    {
        using var pipeline = TrainBriefly("seed000-mlp.json");
        var model = OnnxExporter.ToModel(pipeline);
        string hidden = model.Graph.Node.First(n => n.OpType == "Relu").Output[0];
        var path = Path.Combine(FixtureFiles.TempDirectory(), "mlp.onnx");
        OnnxExporter.Export(pipeline, path);

        var ml = new MLContext(seed: 1);
        var test = ml.Data.TakeRows(ml.Data.LoadMnist(DataSplit.Test), 50);
        using var onnx = ml.Transforms.ApplyOnnxModel(path, ["Hidden"], ["Image"], modelOutputNames: [hidden]).Fit(test);
        var output = onnx.Transform(test);
        Assert.AreEqual(ColumnType.Vector(ScalarType.Float32, 600), output.Schema["Hidden"].Type);
        using var batch = output.GetRows(0, 50, ["Hidden"]);
        using var min = batch["Hidden"].min();
        Assert.IsTrue(min.ToDouble() >= 0, "a ReLU layer's output is never negative");
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.ApplyOnnxModel(path, ["X"], ["Image"], modelOutputNames: ["no_such_node"]));
        StringAssert.Contains(e.Message, "no output or node output 'no_such_node'");
    }

    [TestMethod]
    public void ModelsFromElsewhereRunWithTheirIntermediateNodes()
    {
        // tests/reference/make_onnx_test_models.py's mlp.onnx: x [N, 4] → pre = x W1 + b1 → hidden = Relu(pre) → probabilities.
        string model = FixtureFiles.RepositoryFile("tests", "MnistMl.Legacy.Tests", "Fixtures", "Onnx", "mlp.onnx");
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromFeatures(Enumerable.Range(0, 24).Select(i => (float)Math.Sin(i)).ToArray(), new int[6], 4);
        using var onnx = ml.Transforms.ApplyOnnxModel(model, ["Pre", "Hidden", "Probabilities"], ["Features"],
            modelOutputNames: ["pre", "hidden", "probabilities"]).Fit(data);
        using var batch = onnx.Transform(data).GetRows(0, 6, ["Pre", "Hidden", "Probabilities"]);
        using var relu = batch["Pre"].relu();
        CollectionAssert.AreEqual(relu.data<float>().ToArray(), batch["Hidden"].data<float>().ToArray());
        using var sums = batch["Probabilities"].sum(1);
        foreach (var sum in sums.data<float>().ToArray()) Assert.AreEqual(1.0, sum, 1e-6);
    }

    [TestMethod]
    public void MismatchedColumnsAreRejected()
    {
        using var pipeline = TrainBriefly("seed000-mlp.json");
        var path = Path.Combine(FixtureFiles.TempDirectory(), "mlp.onnx");
        OnnxExporter.Export(pipeline, path);
        var ml = new MLContext(seed: 1);
        var features = ml.Data.LoadFromFeatures(new float[20], [0, 1], 10);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.ApplyOnnxModel(path, ["probabilities"], ["Features"]).Fit(features));
        StringAssert.Contains(e.Message, "input 'image' takes rows of");
        var missing = Path.Combine(FixtureFiles.TempDirectory(), "missing.onnx");
        Assert.ThrowsExactly<FileNotFoundException>(() => ml.Transforms.ApplyOnnxModel(missing, ["p"], ["Image"]));
    }
}
