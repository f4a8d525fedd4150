using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MnistMl.Onnx;
using MnistMl.Pipelines;

namespace MnistMl.Tests;

/// <summary>
/// Exported seed pipelines run through ONNX Runtime give the TorchSharp pipeline's probabilities within 1e-4 and the
/// same predicted labels on 1,000 MNIST test images. Training is cut short: parity needs weights, not accuracy.
/// Then ML.NET's own ApplyOnnxModel (Microsoft.ML.OnnxTransformer) on an exported model and on a model from
/// elsewhere (Fixtures/Onnx/mlp.onnx): it serves the graph's outputs as columns, one row at a time.
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

    private static readonly Lazy<TrainedPipeline> Mlp = new(() => TrainBriefly("seed000-mlp.json"));

    /// <summary>The brief seed-000 MLP exported into <paramref name="folder"/>.</summary>
    private static string ExportMlp(TempFolder folder)
    {
        var path = Path.Combine(folder.Path, "mlp.onnx");
        OnnxExporter.Export(Mlp.Value.Model, Mlp.Value.InputSchema, path);
        return path;
    }

    [TestMethod]
    [DataRow("seed000-mlp.json", DisplayName = "MLP")]
    [DataRow("seed001-cnn.json", DisplayName = "CNN")]
    [DataRow("seed002-small-cnn.json", DisplayName = "Small CNN")]
    [DataRow("seed003-hog-mlp.json", DisplayName = "HOG → MLP")]
    [DataRow("seed004-model-d.json", DisplayName = "Model D (batch norm, same padding)")]
    public void ExportedPipelineMatchesTorchSharp(string file)
    {
        using var pipeline = TrainBriefly(file);
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        OnnxExporter.Export(pipeline.Model, pipeline.InputSchema, path, new OnnxExportOptions { Name = pipeline.Definition.Name });

        OnnxParity.AssertMatches(pipeline, path, rows: 1000);
    }

    [TestMethod]
    public void MlNetsApplyOnnxModelRunsAnExportedModelsGraphOutputs()
    {
        using var folder = new TempFolder();
        var path = ExportMlp(folder);
        var ml = new MLContext(seed: 1);
        var test = TestData.MnistTestRows(50);
        // ML.NET binds columns to the graph's inputs and outputs by name: the input is "image", the outputs "probabilities" and "label".
        var onnx = ml.Transforms.CopyColumns("image", "Image")
            .Append(ml.Transforms.ApplyOnnxModel(["probabilities", "label"], ["image"], path))
            .Fit(test);
        var output = onnx.Transform(test);
        // One row at a time: the dynamic batch dimension N is 1 in the columns' types.
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 10), output.Schema["probabilities"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Int64, 1), output.Schema["label"].Type);

        var scored = Mlp.Value.Transform(test);
        var expectedScores = TestData.Vectors(scored, "Score");
        var expectedLabels = TestData.Keys(scored, "PredictedLabel");
        var probabilities = TestData.Vectors(output, "probabilities");
        var labels = Int64Vectors(output, "label");
        for (int r = 0; r < 50; r++)
        {
            TestData.Near(expectedScores[r], probabilities[r], 0, 1e-4, $"row {r}");
            CollectionAssert.AreEqual(new[] { (long)expectedLabels[r] - 1 }, labels[r], $"row {r}");
        }
    }

    [TestMethod]
    public void MlNetsApplyOnnxModelServesOnlyGraphOutputsAndRejectsMismatchedColumns()
    {
        using var folder = new TempFolder();
        var path = ExportMlp(folder);
        var model = OnnxExporter.ToModel(Mlp.Value.Model, Mlp.Value.InputSchema);
        string hidden = model.Graph.Node.First(n => n.OpType == "Relu").Output[0];
        var ml = new MLContext(seed: 1);
        var test = ml.Transforms.CopyColumns("image", "Image").Fit(TestData.MnistTestRows(5)).Transform(TestData.MnistTestRows(5));

        // An intermediate node (the first hidden layer's ReLU) is not a graph output, so ML.NET has no column for it.
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ApplyOnnxModel([hidden], ["image"], path).Fit(test));
        StringAssert.Contains(e.Message, $"{hidden}, does not exist in the ONNX model");
        StringAssert.Contains(e.Message, "Available output names are [probabilities,label]");

        // A column whose size does not fit the graph's input [N, 1, 28, 28] is rejected.
        var features = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 2).Select(_ => new TenFloats()));
        var mismatch = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.ApplyOnnxModel(["probabilities"], ["image"], path).Fit(features));
        StringAssert.Contains(mismatch.Message, "Input shape mismatch: Input 'image' has shape 1,1,28,28, but input data is of length 10.");

        var missing = Path.Combine(folder.Path, "missing.onnx");
        var absent = Assert.ThrowsExactly<IOException>(() => ml.Transforms.ApplyOnnxModel(["probabilities"], ["image"], missing).Fit(test));
        StringAssert.Contains(absent.Message, missing);
    }

    [TestMethod]
    public void ModelsFromElsewhereRunWithTheirGraphOutputs()
    {
        // tests/reference/make_onnx_test_models.py's mlp.onnx: x [N, 4] → hidden = Relu(x W1 + b1) [N, 5] → probabilities = Softmax(hidden W2 + b2) [N, 3].
        string model = FixtureFiles.Committed("Onnx", "mlp.onnx");
        Assert.AreEqual("605931095a6c440bf2e24bf39563120e8831017c590fb8b13f2ad24ebb752067",
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model))), "the committed file is what the script writes");
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 6).Select(n => new FourFloats { x = Enumerable.Range(0, 4).Select(k => (float)(2 * Math.Sin(0.7 * n + 1.1 * k))).ToArray() }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var onnx = ml.Transforms.ApplyOnnxModel(["hidden", "probabilities"], ["x"], model).Fit(data);
        var output = onnx.Transform(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 5), output.Schema["hidden"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 3), output.Schema["probabilities"].Type);
        var hidden = TestData.Vectors(output, "hidden");
        var probabilities = TestData.Vectors(output, "probabilities");
        Assert.HasCount(6, hidden);
        for (int n = 0; n < 6; n++)
        {
            var (expectedHidden, expectedProbabilities) = ReferenceMlp(rows[n].x);
            TestData.Near(expectedHidden, hidden[n], 1e-5, 1e-6, $"hidden, row {n}");
            TestData.Near(expectedProbabilities, probabilities[n], 1e-5, 1e-6, $"probabilities, row {n}");
            Assert.IsTrue(hidden[n].All(v => v >= 0), "a ReLU layer's output is never negative");
            Assert.AreEqual(1.0, probabilities[n].Sum(), 1e-6);
        }

        // "pre" (x W1 + b1) is an intermediate node of that graph, not one of its outputs.
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ApplyOnnxModel(["pre"], ["x"], model).Fit(data));
        StringAssert.Contains(e.Message, "pre, does not exist in the ONNX model");
        StringAssert.Contains(e.Message, "Available output names are [probabilities,hidden]");
    }

    /// <summary>The fixture MLP's forward pass with the script's weights, in float32.</summary>
    private static (float[] Hidden, float[] Probabilities) ReferenceMlp(float[] x)
    {
        var hidden = new float[5];
        for (int j = 0; j < 5; j++)
        {
            float sum = (float)(0.1 * Math.Cos(j + 0.5));
            for (int i = 0; i < 4; i++) sum += x[i] * (float)(0.5 * Math.Sin(1.3 * i + 0.7 * j + 0.1));
            hidden[j] = Math.Max(sum, 0);
        }
        var logits = new double[3];
        for (int k = 0; k < 3; k++)
        {
            float sum = (float)(0.05 * (k - 1));
            for (int j = 0; j < 5; j++) sum += hidden[j] * (float)(0.6 * Math.Cos(0.9 * j - 1.1 * k + 0.3));
            logits[k] = sum;
        }
        var exp = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        return (hidden, exp.Select(v => (float)(v / exp.Sum())).ToArray());
    }

    private static long[][] Int64Vectors(IDataView data, string column)
    {
        var col = data.Schema[column];
        var rows = new List<long[]>();
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<long>>(col);
        VBuffer<long> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }
        return [.. rows];
    }

#pragma warning disable IDE1006 // ML.NET names the column after the property: the fixture's input is "x".
    private sealed class FourFloats
    {
        [VectorType(4)]
        public float[] x { get; set; } = [];
    }

    private sealed class TenFloats
    {
        [VectorType(10)]
        public float[] image { get; set; } = new float[10];
    }
#pragma warning restore IDE1006
}
