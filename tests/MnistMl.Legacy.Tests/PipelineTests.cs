using System.IO.Compression;
using System.Text.Json.Nodes;
using MnistMl.Data;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Tests;

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
            new NormalizeStep { Output = "Features", Kind = "mean_variance", Scope = "per_element" },
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
        Assert.AreEqual(10000L, result.TestMetrics.RowCount);
        Assert.IsTrue(result.TestMetrics.MicroAccuracy > 0.85, $"test accuracy {result.TestMetrics.MicroAccuracy:P2}");
        Assert.AreEqual(result.TestMetrics.MicroAccuracy, result.Pipeline.Metrics["test_micro_accuracy"]);
        Assert.AreEqual(6, result.Pipeline.History.Epochs.Count);
    }

    [TestMethod]
    public void SavedModelLoadsAndPredictsBitIdentically()
    {
        var pipeline = SmallRun.Value.Pipeline;
        var path = Path.Combine(FixtureFiles.TempDirectory(), "small.mnml");
        pipeline.Save(path);
        using var loaded = TrainedPipeline.Load(path);
        var test = new MLContext(seed: 1).Data.TakeRows(new MLContext(seed: 1).Data.LoadMnist(DataSplit.Test), 500);
        using var before = pipeline.Transform(test).GetRows(0, 500, ["Score"]);
        using var after = loaded.Transform(test).GetRows(0, 500, ["Score"]);
        CollectionAssert.AreEqual(before["Score"].data<float>().ToArray(), after["Score"].data<float>().ToArray());
        CollectionAssert.AreEqual(pipeline.ClassNames.ToArray(), loaded.ClassNames.ToArray());
        Assert.AreEqual(pipeline.History.Epochs.Count, loaded.History.Epochs.Count);
        Assert.AreEqual(pipeline.History.Epochs[1].ValidationLoss, loaded.History.Epochs[1].ValidationLoss);
        Assert.AreEqual(pipeline.Metrics["test_micro_accuracy"], loaded.Metrics["test_micro_accuracy"]);
        Assert.IsFalse(Directory.GetFiles(Path.GetDirectoryName(path)!).Any(f => f.EndsWith(".tmp")), "no temporary file is left behind");
    }

    [TestMethod]
    public void PredictionEngineAgreesWithTheBatchTransform()
    {
        var pipeline = SmallRun.Value.Pipeline;
        var test = LabeledImages.LoadMnist(train: false);
        var engine = pipeline.CreatePredictionEngine();
        var predictions = engine.PredictBatch(Enumerable.Range(0, 20).Select(i => (Array)test.Pixels[(i * 784)..((i + 1) * 784)]).ToArray());
        var data = new MLContext(seed: 1).Data.TakeRows(new MLContext(seed: 1).Data.LoadMnist(DataSplit.Test), 20);
        using var batch = pipeline.Transform(data).GetRows(0, 20, ["PredictedLabel", "Score"]);
        CollectionAssert.AreEqual(batch["PredictedLabel"].data<long>().ToArray(), predictions.Select(p => (long)p.PredictedLabel).ToArray());
        var single = engine.Predict(test.Pixels[..784]);
        // A batch of one takes other matrix kernels than a batch of 20: equal up to float rounding.
        for (int c = 0; c < 10; c++) Assert.AreEqual(predictions[0].Scores[c], single.Scores[c], 1e-6);
        Assert.AreEqual(pipeline.ClassNames[single.PredictedLabel], single.ClassName);
        var e = Assert.ThrowsExactly<ArgumentException>(() => engine.Predict(new byte[10]));
        StringAssert.Contains(e.Message, "takes 784 bytes");
    }

    [TestMethod]
    public void TruncatedOrForeignModelFilesAreRejectedNamingTheFile()
    {
        var dir = FixtureFiles.TempDirectory();
        var good = Path.Combine(dir, "good.mnml");
        SmallRun.Value.Pipeline.Save(good);

        var truncated = Path.Combine(dir, "truncated.mnml");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(truncated));
        StringAssert.Contains(e.Message, truncated);

        var text = Path.Combine(dir, "text.mnml");
        File.WriteAllText(text, "not a model");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(text)).Message, "not a zip archive");

        var future = Path.Combine(dir, "future.mnml");
        File.Copy(good, future);
        using (var zip = ZipFile.Open(future, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            JsonObject manifest;
            using (var reader = new StreamReader(entry.Open())) manifest = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
            manifest["version"] = 99;
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            writer.Write(manifest.ToJsonString());
        }
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TrainedPipeline.Load(future)).Message, "model format version 99");
    }

    [TestMethod]
    public void ShippedPipelinesParseAndBuild()
    {
        var files = Directory.GetFiles(FixtureFiles.RepositoryFile("pipelines"), "*.json");
        Assert.IsTrue(files.Length >= 6, $"{files.Length} pipeline files");
        foreach (var file in files)
        {
            var definition = PipelineDefinition.Load(file);
            definition.Training.ToOptions().Validate();
            long[] input = definition.FeatureColumn == "Features" ? (definition.Transforms.OfType<HogStep>().Any() ? [392] : [784]) : [1, 28, 28];
            using var network = definition.Network.Build(input, 10);
            if (definition.Name == "seed004-model-d") Assert.AreEqual(242954L, ModelSummary.Of(network).TotalParameters);
            if (definition.Name == "seed002-small-cnn") Assert.AreEqual(108618L, ModelSummary.Of(network).TotalParameters);
        }
    }

    [TestMethod]
    public void InvalidPipelineFileNamesTheFile()
    {
        var path = Path.Combine(FixtureFiles.TempDirectory(), "bad.json");
        File.WriteAllText(path, """{ "name": "x", "network": { "layers": [ { "type": "Dense", "units": 10, "activation": "softmax", "colour": "red" } ] } }""");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => PipelineDefinition.Load(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "colour");
    }

    [TestMethod]
    public void CrossValidationReportsEveryFoldAndTheirSpread()
    {
        var ml = new MLContext(seed: 2);
        var data = ml.Data.TakeRows(ml.Data.LoadMnist(DataSplit.Train), 900);
        var estimator = ml.Transforms.ScalePixels("Image")
            .Append(ml.Transforms.Flatten("Features", "Image"))
            .Append(ml.Trainers.Mlp([32], options: new TrainingOptions { Epochs = 6, Seed = 1 }));
        var cv = ml.Evaluation.CrossValidate(data, estimator, numberOfFolds: 3, seed: 1);
        Assert.AreEqual(3, cv.Folds.Count);
        Assert.AreEqual(900L, cv.Folds.Sum(f => f.RowCount));
        Assert.IsTrue(cv.MicroAccuracy.Mean > 0.7, cv.ToString());
        Assert.AreEqual(cv.Folds.Average(f => f.MicroAccuracy), cv.MicroAccuracy.Mean, 1e-12);
    }
}
