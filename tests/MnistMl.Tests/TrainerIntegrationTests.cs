using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Trainers;
using MnistMl.Transforms;

namespace MnistMl.Tests;

/// <summary>
/// The trainers inside ML.NET: its evaluator, CrossValidate, PredictionEngine, and ml.Model.Save/Load (a saved
/// model gives the same predictions, and the TorchSharp network comes back out of the file).
/// </summary>
[TestClass]
public sealed class TrainerIntegrationTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView TrainRows(int count) => Ml.Data.TakeRows(Ml.Data.LoadMnist(DataSplit.Train), count);

    private static readonly Lazy<(ITransformer Model, IDataView Test)> SmallCnn = new(() =>
    {
        var pipeline = Ml.Transforms.ScalePixels("Image")
            .Append(Ml.MulticlassClassification.Trainers.Cnn(filters: [8], denseUnits: [32], options: new TrainingOptions { Epochs = 2, BatchSize = 64, Seed = 3 }));
        return (pipeline.Fit(Ml.Data.ShuffleRows(TrainRows(3000), seed: 1)), TestData.MnistTestRows(300));
    });

    [TestMethod]
    public void MlNetsEvaluatorScoresTheModelAndTheReportAgreesWithIt()
    {
        var (model, test) = SmallCnn.Value;
        var scored = model.Transform(test);
        var metrics = Ml.MulticlassClassification.Evaluate(scored);
        Assert.IsTrue(metrics.MicroAccuracy > 0.85, $"micro accuracy {metrics.MicroAccuracy}");
        var report = metrics.GetClassificationReport(scored.Schema["Label"].GetClassNames());
        Assert.AreEqual(metrics.MicroAccuracy, report.Accuracy, 1e-12);
        Assert.AreEqual(300.0, report.TotalSupport);
        for (int c = 0; c < 10; c++)
        {
            Assert.AreEqual(metrics.ConfusionMatrix.PerClassRecall[c], report.Classes[c].Recall, 1e-12, $"recall of class {c}");
            Assert.AreEqual(metrics.ConfusionMatrix.PerClassPrecision[c], report.Classes[c].Precision, 1e-12, $"precision of class {c}");
        }
        // Score carries the class names as slot names, as ML.NET's trainers' scores do.
        VBuffer<ReadOnlyMemory<char>> slots = default;
        scored.Schema["Score"].GetSlotNames(ref slots);
        CollectionAssert.AreEqual(MnistDataCatalog.MnistClassNames.ToArray(), slots.DenseValues().Select(s => s.ToString()).ToArray());
    }

    private sealed class Digit
    {
        [VectorType(1, 28, 28)]
        public float[] Image { get; set; } = [];
    }

    private sealed class DigitPrediction
    {
        public uint PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
    }

    [TestMethod]
    public void PredictionEngineGivesTheBatchScores()
    {
        var (model, test) = SmallCnn.Value;
        var rows = Ml.Data.TakeRows(test, 20);
        var expected = TestData.Vectors(model.Transform(rows), "Score");
        var expectedLabels = TestData.Keys(model.Transform(rows), "PredictedLabel");
        var engine = Ml.Model.CreatePredictionEngine<Digit, DigitPrediction>(model);
        var images = TestData.Vectors(rows, "Image");
        for (int r = 0; r < images.Length; r++)
        {
            var prediction = engine.Predict(new Digit { Image = images[r] });
            TestData.Near(expected[r], prediction.Score, 1e-5, 1e-6, $"row {r}");
            Assert.AreEqual(expectedLabels[r], prediction.PredictedLabel, $"row {r}");
        }
    }

    [TestMethod]
    public void SavedModelLoadsAsMlNetsOwnTransformersWithIdenticalPredictions()
    {
        var (model, test) = SmallCnn.Value;
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "cnn.zip");
        Ml.Model.Save(model, test.Schema, path);
        var loaded = new MLContext().Model.Load(path, out var inputSchema);
        Assert.AreEqual(test.Schema["Image"].Type, inputSchema["Image"].Type);
        var before = model.Transform(test);
        var after = loaded.Transform(test);
        Assert.AreEqual(before.Schema["Score"].Type, after.Schema["Score"].Type);
        Assert.AreEqual(before.Schema["PredictedLabel"].Type, after.Schema["PredictedLabel"].Type);
        CollectionAssert.AreEqual(before.Schema["PredictedLabel"].GetClassNames().ToArray(), after.Schema["PredictedLabel"].GetClassNames().ToArray());
        var expected = TestData.Vectors(before, "Score");
        var actual = TestData.Vectors(after, "Score");
        for (int r = 0; r < expected.Length; r++) TestData.Near(expected[r], actual[r], 1e-4, 1e-5, $"row {r}");
        CollectionAssert.AreEqual(TestData.Keys(before, "PredictedLabel"), TestData.Keys(after, "PredictedLabel"));
        // ML.NET's evaluator takes the loaded model as it takes the trained one.
        Assert.AreEqual(Ml.MulticlassClassification.Evaluate(before).MicroAccuracy, Ml.MulticlassClassification.Evaluate(after).MicroAccuracy, 1e-12);
        // The loaded chain is ML.NET's own: nothing of MnistMl's trainers is needed to score it.
        foreach (var transformer in loaded.Flatten())
            Assert.IsTrue(transformer.GetType().Assembly.GetName().Name!.StartsWith("Microsoft.ML", StringComparison.Ordinal), transformer.GetType().FullName);
    }


    [TestMethod]
    public void TheTorchSharpNetworkHistoryAndSettingsComeBackFromTheSavedFile()
    {
        var (model, test) = SmallCnn.Value;
        var trained = (ClassificationModel)model.Flatten().Last();
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "cnn.zip");
        Ml.Model.Save(model, test.Schema, path);
        using var restored = SavedNetwork.Load(path);
        Assert.AreEqual(trained.Spec.ToJson(), restored.Spec.ToJson());
        CollectionAssert.AreEqual(trained.History.Epochs, restored.History.Epochs);
        Assert.AreEqual(trained.Options!.Epochs, restored.Options!.Epochs);
        Assert.AreEqual(trained.Options.BatchSize, restored.Options.BatchSize);
        Assert.AreEqual(trained.Options.Seed, restored.Options.Seed);
        CollectionAssert.AreEqual(trained.ClassNames.ToArray(), restored.ClassNames.ToArray());
        foreach (var (name, tensor) in trained.Network.state_dict())
            CollectionAssert.AreEqual(tensor.data<float>().ToArray(), restored.Network.state_dict()[name].data<float>().ToArray(), name);
        var scaled = Ml.Transforms.ScalePixels("Image").Fit(test).Transform(test);
        CollectionAssert.AreEqual(TestData.Keys(trained.Transform(scaled), "PredictedLabel"), TestData.Keys(restored.Transform(scaled), "PredictedLabel"));
    }

    [TestMethod]
    public void CorruptOrForeignModelFilesGiveClearErrors()
    {
        using var folder = new TempFolder();
        string truncated = Path.Combine(folder.Path, "truncated.zip");
        var (model, test) = SmallCnn.Value;
        Ml.Model.Save(model, test.Schema, truncated);
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<Exception>(() => SavedNetwork.Load(truncated));
        StringAssert.Contains(e.Message, truncated);
        string foreign = Path.Combine(folder.Path, "sdca.zip");
        var flat = Ml.Transforms.Flatten("Features", "Image").Fit(test);
        var sdca = flat.Append(Ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 1).Fit(flat.Transform(test)));
        Ml.Model.Save(sdca, test.Schema, foreign);
        var none = Assert.ThrowsExactly<InvalidDataException>(() => SavedNetwork.Load(foreign));
        StringAssert.Contains(none.Message, "holds no MnistMl network");
    }

    [TestMethod]
    public void CrossValidateTrainsAndScoresEachFold()
    {
        var data = Ml.Transforms.ScalePixels("Image").Append(Ml.Transforms.Flatten("Features", "Image")).Fit(TrainRows(600)).Transform(TrainRows(600));
        var trainer = Ml.MulticlassClassification.Trainers.Mlp(hiddenUnits: [32], options: new TrainingOptions { Epochs = 3, Seed = 2 });
        var results = Ml.MulticlassClassification.CrossValidate(Ml.Data.Cache(data), trainer, numberOfFolds: 3);
        Assert.HasCount(3, results);
        var summary = results.Summarize();
        Assert.AreEqual(3, summary.FoldCount);
        Assert.IsTrue(summary.MicroAccuracy.Mean > 0.7, $"mean accuracy {summary.MicroAccuracy}");
        Assert.AreEqual(results.Select(r => r.Metrics.MicroAccuracy).Average(), summary.MicroAccuracy.Mean, 1e-12);
    }
}
