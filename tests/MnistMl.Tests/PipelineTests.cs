using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Tests;

/// <summary>
/// Pipeline files (JSON → <see cref="PipelineDefinition"/>), <see cref="PipelineRunner.Run"/> on a small MNIST
/// subset, and the pipeline model file: <see cref="TrainedPipeline.Save"/> / <see cref="TrainedPipeline.Load"/>
/// (an ML.NET model file that plain <c>ml.Model.Load</c> also reads), its errors and its atomic write.
/// </summary>
[TestClass]
public sealed class PipelineTests
{
    /// <summary>A quick pipeline: 1,500 MNIST images, HOG features, mean-variance normalization, an MLP, 6 epochs.</summary>
    private static PipelineDefinition Small => new()
    {
        Name = "small",
        Data = new DataSection { Dataset = "mnist", TrainRows = 1500, ValidationFraction = 0.2, Seed = 3 },
        Transforms =
        [
            new ScalePixelsStep { Output = "Image" },
            new HogStep { Output = "Features", Input = "Image", Orientations = 8, PixelsPerCell = [4, 4], CellsPerBlock = [1, 1] },
            new NormalizeStep { Output = "Features", Kind = "mean_variance" },
        ],
        FeatureColumn = "Features",
        Network = new NetworkSpec(new DenseLayer(64, "relu"), new DropoutLayer(0.2), new DenseLayer(10, "softmax")),
        Training = new TrainingSection { Epochs = 6, BatchSize = 32, Seed = 3 },
    };

    private static readonly Lazy<PipelineRunResult> SmallRun = new(() => PipelineRunner.Run(Small));

    [TestMethod]
    public void PipelineTrainsEvaluatesAndRecordsItsMetrics()
    {
        var result = SmallRun.Value;
        Assert.AreEqual(10000.0, result.TestMetrics.ConfusionMatrix.Counts.Sum(row => row.Sum()), "evaluated on the whole test split");
        Assert.IsTrue(result.TestMetrics.MicroAccuracy > 0.85, $"test accuracy {result.TestMetrics.MicroAccuracy:P2}");
        Assert.AreEqual(result.TestMetrics.MicroAccuracy, result.Pipeline.Metrics["test_micro_accuracy"]);
        Assert.AreEqual(result.TestMetrics.MacroAccuracy, result.Pipeline.Metrics["test_macro_accuracy"]);
        Assert.AreEqual(result.TestMetrics.LogLoss, result.Pipeline.Metrics["test_log_loss"]);
        Assert.HasCount(6, result.Pipeline.History.Epochs);
        Assert.IsTrue(result.Pipeline.History.Epochs.All(e => e.ValidationLoss is not null), "the 20 % validation split is evaluated every epoch");
        // The fitted chain: ScalePixels, HOG, ML.NET's normalizer, then the network.
        Assert.HasCount(4, result.Pipeline.Model.ToArray());
        Assert.IsInstanceOfType<NormalizingTransformer>(result.Pipeline.Model.ElementAt(2));
        Assert.AreSame(result.Pipeline.Network, result.Pipeline.Model.LastTransformer);
    }

    [TestMethod]
    public void SavedModelLoadsAndPredictsBitIdentically()
    {
        var pipeline = SmallRun.Value.Pipeline;
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "small.zip");
        pipeline.Save(path);
        using var loaded = TrainedPipeline.Load(path);
        var test = TestData.MnistTestRows(500);
        var before = TestData.Vectors(pipeline.Transform(test), "Score");
        var after = TestData.Vectors(loaded.Transform(test), "Score");
        for (int r = 0; r < before.Length; r++) CollectionAssert.AreEqual(before[r], after[r], $"row {r}");
        CollectionAssert.AreEqual(TestData.Keys(pipeline.Transform(test), "PredictedLabel"), TestData.Keys(loaded.Transform(test), "PredictedLabel"));
        CollectionAssert.AreEqual(pipeline.ClassNames.ToArray(), loaded.ClassNames.ToArray());
        Assert.AreEqual(pipeline.Definition.ToJson(), loaded.Definition.ToJson());
        Assert.HasCount(pipeline.History.Epochs.Count, loaded.History.Epochs);
        Assert.AreEqual(pipeline.History.Epochs[1].ValidationLoss, loaded.History.Epochs[1].ValidationLoss);
        Assert.AreEqual(pipeline.Metrics["test_micro_accuracy"], loaded.Metrics["test_micro_accuracy"]);
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFileSystemEntries(folder.Path), "no temporary file is left behind");
    }

    [TestMethod]
    public void SavedModelLoadsWithPlainMlNet()
    {
        var pipeline = SmallRun.Value.Pipeline;
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "small.zip");
        pipeline.Save(path);

        // The file is what ml.Model.Save writes (plus an entry ML.NET ignores): ML.NET reads it and scores it with
        // ONNX Runtime, so the probabilities agree up to float rounding and the predicted labels are the same.
        var ml = new MLContext();
        var model = ml.Model.Load(path, out var schema);
        Assert.AreEqual(pipeline.InputSchema["Image"].Type, schema["Image"].Type);
        using (var zip = ZipFile.OpenRead(path)) Assert.IsNotNull(zip.GetEntry(PipelineModelFile.PipelineEntry));
        var test = TestData.MnistTestRows(200);
        var expected = pipeline.Transform(test);
        var actual = model.Transform(test);
        var expectedScores = TestData.Vectors(expected, "Score");
        var actualScores = TestData.Vectors(actual, "Score");
        for (int r = 0; r < expectedScores.Length; r++) TestData.Near(expectedScores[r], actualScores[r], 1e-4, 1e-5, $"row {r}");
        CollectionAssert.AreEqual(TestData.Keys(expected, "PredictedLabel"), TestData.Keys(actual, "PredictedLabel"));
    }

    [TestMethod]
    public void TruncatedOrForeignModelFilesAreRejectedNamingTheFile()
    {
        using var folder = new TempFolder();
        var good = Path.Combine(folder.Path, "good.zip");
        SmallRun.Value.Pipeline.Save(good);

        var truncated = Path.Combine(folder.Path, "truncated.zip");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(truncated));
        StringAssert.Contains(e.Message, truncated);

        var text = folder.File("text.zip", "not a model");
        e = Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(text));
        StringAssert.Contains(e.Message, text);
        StringAssert.Contains(e.Message, "not a zip archive");

        // A plain ML.NET model file (no pipeline entry) is not an MnistMl pipeline's. (Not named *.zip: see the ignored
        // AForeignModelFileNamedZipIsReportedForWhatItLacks.)
        var plain = Path.Combine(folder.Path, "plain.model");
        var ml = new MLContext();
        ml.Model.Save(SmallRun.Value.Pipeline.Model, SmallRun.Value.Pipeline.InputSchema, plain);
        e = Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(plain));
        StringAssert.Contains(e.Message, plain);
        StringAssert.Contains(e.Message, $"it has no {PipelineModelFile.PipelineEntry}");

        // A damaged pipeline entry.
        var damaged = Path.Combine(folder.Path, "damaged.model");
        File.Copy(good, damaged);
        using (var zip = ZipFile.Open(damaged, ZipArchiveMode.Update))
        {
            zip.GetEntry(PipelineModelFile.PipelineEntry)!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(PipelineModelFile.PipelineEntry).Open());
            writer.Write("{ \"pipeline\": ");
        }
        e = Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(damaged));
        StringAssert.Contains(e.Message, damaged);
        StringAssert.Contains(e.Message, $"entry '{PipelineModelFile.PipelineEntry}' does not match its SHA-256");

        var missing = Path.Combine(folder.Path, "missing.zip");
        StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => TrainedPipeline.Load(missing)).Message, missing);
    }

    [TestMethod]
    public void EveryFlippedBitIsCaughtOnLoadNamingTheFile()
    {
        using var folder = new TempFolder();
        var good = Path.Combine(folder.Path, "good.zip");
        SmallRun.Value.Pipeline.Save(good);
        var bytes = File.ReadAllBytes(good);
        var damaged = Path.Combine(folder.Path, "flipped.zip");
        // 40 single-bit flips spread over the file, each in a fresh copy: zip headers, compressed data, directory.
        for (int k = 0; k < 40; k++)
        {
            int at = (int)((long)bytes.Length * k / 40) + k % 7;
            var copy = (byte[])bytes.Clone();
            copy[at] ^= (byte)(1 << (k % 8));
            File.WriteAllBytes(damaged, copy);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(damaged), $"bit {k % 8} of byte {at}");
            StringAssert.Contains(e.Message, damaged);
        }
        using (var ok = TrainedPipeline.Load(good)) Assert.AreEqual("small", ok.Definition.Name);
    }

    [TestMethod]
    public void NonFiniteWeightsAreRefusedOnLoadNamingTheTensor()
    {
        using var folder = new TempFolder();
        var good = Path.Combine(folder.Path, "good.zip");
        SmallRun.Value.Pipeline.Save(good);
        var nan = Path.Combine(folder.Path, "nan.zip");
        using (var copy = TrainedPipeline.Load(good))
        {
            var weight = copy.Network.Network.named_parameters().First(p => p.name.EndsWith(".weight", StringComparison.Ordinal));
            using (TorchSharp.torch.no_grad()) weight.parameter[0, 0] = float.NaN;
            copy.Save(nan);
        }
        var e = Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(nan));
        StringAssert.Contains(e.Message, nan);
        StringAssert.Contains(e.Message, "holds NaN or infinite values");
        StringAssert.Contains(e.Message, "'dense.weight'");
    }

    [TestMethod]
    public void AForeignModelFileNamedZipIsReportedForWhatItLacks()
    {
        using var folder = new TempFolder();
        var plain = Path.Combine(folder.Path, "plain.zip");
        new MLContext().Model.Save(SmallRun.Value.Pipeline.Model, SmallRun.Value.Pipeline.InputSchema, plain);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(plain));
        StringAssert.Contains(e.Message, plain);
        StringAssert.Contains(e.Message, $"it has no {PipelineModelFile.PipelineEntry}");
    }

    [TestMethod]
    public void SaveWritesAtomicallyAndLeavesNothingBehindWhenItFails()
    {
        var pipeline = SmallRun.Value.Pipeline;
        using var folder = new TempFolder();

        // Over an older file: the whole new model or nothing.
        var path = folder.File("model.zip", "an older file");
        pipeline.Save(path);
        using (var loaded = TrainedPipeline.Load(path)) Assert.AreEqual("small", loaded.Definition.Name);
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFileSystemEntries(folder.Path), "no temporary file is left behind");

        // The path is a directory: the save fails, the directory is untouched and no partial file is left.
        var directory = Directory.CreateDirectory(Path.Combine(folder.Path, "a-directory")).FullName;
        Assert.Throws<IOException>(() => pipeline.Save(directory));
        Assert.IsTrue(Directory.Exists(directory));
        Assert.IsEmpty(Directory.GetFileSystemEntries(directory));
        CollectionAssert.AreEquivalent(new[] { path, directory }, Directory.GetFileSystemEntries(folder.Path));

        // The path is below a file: nothing can be created.
        var belowAFile = Path.Combine(path, "model.zip");
        Assert.Throws<IOException>(() => pipeline.Save(belowAFile));
        CollectionAssert.AreEquivalent(new[] { path, directory }, Directory.GetFileSystemEntries(folder.Path));
        using (var loaded = TrainedPipeline.Load(path)) Assert.AreEqual("small", loaded.Definition.Name);
    }

    [TestMethod]
    public void ShippedPipelinesParseAndBuild()
    {
        var files = Directory.GetFiles(FixtureFiles.RepositoryFile("pipelines"), "*.json");
        Assert.IsTrue(files.Length >= 6, $"{files.Length} pipeline files");
        var ml = new MLContext(seed: 1);
        var sample = TestData.MnistTestRows(2);
        foreach (var file in files)
        {
            var definition = PipelineDefinition.Load(file);
            Assert.AreEqual(Path.GetFileNameWithoutExtension(file), definition.Name, file);
            // Backbone paths are relative to the repository root, where the command line runs.
            bool transfer = definition.Name.Contains("mobilenetv2", StringComparison.Ordinal);
            if (definition.Name.StartsWith("fashion-mobilenetv2", StringComparison.Ordinal))
                definition = definition.WithBackbone(FixtureFiles.RepositoryFile("models", "mobilenetv2-mnist.onnx"));
            definition.Training.ToOptions().Validate();
            // The transforms build and give the feature column the network reads.
            var data = sample;
            foreach (var step in definition.Transforms) data = step.CreateEstimator(ml).Fit(data).Transform(data);
            var features = (VectorDataViewType)data.Schema[definition.FeatureColumn].Type;
            long[] input = [.. features.Dimensions.Select(d => (long)d)];
            long[] expected = transfer ? (definition.FeatureColumn == "Features" ? [1280] : [3, 32, 32])
                : definition.FeatureColumn == "Features" ? (definition.Transforms.OfType<HogStep>().Any() ? [392] : [784]) : [1, 28, 28];
            CollectionAssert.AreEqual(expected, input, file);
            using var network = definition.Network.Build(input, 10);
            if (definition.Name == "seed004-model-d") Assert.AreEqual(242954L, ModelSummary.Of(network).TotalParameters);
            if (definition.Name == "seed002-small-cnn") Assert.AreEqual(108618L, ModelSummary.Of(network).TotalParameters);
            // torchvision 0.14's mobilenet_v2(width_mult=0.5).features: 687,680 parameters + 18,544 batch-norm statistics
            // (python3: sum of numel over parameters() and the running_mean/var buffers); + Dense 1280·10 + 10.
            if (definition.Name == "pretrain-mobilenetv2-mnist") Assert.AreEqual(706224L + 12810L, ModelSummary.Of(network).TotalParameters);
        }
    }

    [TestMethod]
    public void WithBackboneReplacesEveryBackboneOrSaysThereIsNone()
    {
        var frozen = PipelineDefinition.Load(FixtureFiles.RepositoryFile("pipelines", "fashion-mobilenetv2-frozen.json")).WithBackbone("other.onnx");
        Assert.AreEqual("other.onnx", frozen.Transforms.OfType<ApplyBackboneStep>().Single().Backbone);
        var fineTuned = PipelineDefinition.Load(FixtureFiles.RepositoryFile("pipelines", "fashion-mobilenetv2-finetune.json")).WithBackbone("other.onnx");
        Assert.AreEqual("other.onnx", fineTuned.Network.Layers.OfType<MobileNetV2Layer>().Single().Weights);
        Assert.HasCount(6, fineTuned.Network.Layers);
        var e = Assert.ThrowsExactly<ArgumentException>(() => Small.WithBackbone("other.onnx"));
        StringAssert.Contains(e.Message, "no backbone");
    }

    [TestMethod]
    public void PipelineJsonRoundTrips()
    {
        var json = Small.ToJson();
        StringAssert.Contains(json, "\"type\": \"ExtractHogFeatures\"");
        StringAssert.Contains(json, "\"pixels_per_cell\"");
        var parsed = PipelineDefinition.FromJson(json, "memory");
        Assert.AreEqual(json, parsed.ToJson());
        Assert.AreEqual("mean_variance", parsed.Transforms.OfType<NormalizeStep>().Single().Kind);
        CollectionAssert.AreEqual(new[] { 4, 4 }, parsed.Transforms.OfType<HogStep>().Single().PixelsPerCell);
        Assert.AreEqual(1500, parsed.Data.TrainRows);
        Assert.AreEqual(6, parsed.Training.Epochs);
    }

    [TestMethod]
    public void InvalidPipelineFileNamesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.json", """{ "name": "x", "network": { "layers": [ { "type": "Dense", "units": 10, "activation": "softmax", "colour": "red" } ] } }""");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => PipelineDefinition.Load(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "colour");

        // Normalization has no "scope" any more: ML.NET's normalizers work per slot.
        var scoped = folder.File("scoped.json", """{ "transforms": [ { "type": "Normalize", "output": "Features", "kind": "min_max", "scope": "global" } ] }""");
        e = Assert.ThrowsExactly<InvalidDataException>(() => PipelineDefinition.Load(scoped));
        StringAssert.Contains(e.Message, scoped);
        StringAssert.Contains(e.Message, "scope");

        var unknownStep = folder.File("unknown-step.json", """{ "transforms": [ { "type": "RotateImages", "degrees": 20 } ] }""");
        e = Assert.ThrowsExactly<InvalidDataException>(() => PipelineDefinition.Load(unknownStep));
        StringAssert.Contains(e.Message, unknownStep);
        StringAssert.Contains(e.Message, "RotateImages");

        var notJson = folder.File("not-json.json", "{ \"name\": ");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => PipelineDefinition.Load(notJson)).Message, notJson);

        var missing = Path.Combine(folder.Path, "missing.json");
        StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => PipelineDefinition.Load(missing)).Message, missing);

        // A kind the normalizer does not know is an error when the step builds its estimator.
        var kind = PipelineDefinition.FromJson("""{ "transforms": [ { "type": "Normalize", "kind": "z_score" } ] }""", "memory");
        var k = Assert.ThrowsExactly<ArgumentException>(() => kind.Transforms[0].CreateEstimator(new MLContext()));
        StringAssert.Contains(k.Message, "z_score");
    }
}
