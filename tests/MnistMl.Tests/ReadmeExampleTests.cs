using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Features;
using MnistMl.Trainers;
using MnistMl.Trainers.Callbacks;

namespace MnistMl.Tests;

/// <summary>The README's data example, as written there, and the column types its comments state.</summary>
[TestClass]
public sealed class ReadmeExampleTests
{
    [TestMethod]
    public void DataExampleRunsAndGivesTheTypesItStates()
    {
        // --- README "Data: ML.NET data views" ---
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFashionMnist(DataSplit.Train);                  // Image Vector<Single, 1, 28, 28>, Label Key<UInt32, 10> "T-shirt/top" …
        var split = ml.Data.StratifiedTrainTestSplit(data, testFraction: 0.1, seed: 1);
        var pipeline = ml.Transforms.ScalePixels("Image")                      // x / 255
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image",
                new HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }))   // Vector<Single, 392>
            .Append(ml.Transforms.NormalizeMeanVariance("Hog"))                 // ML.NET's, statistics learned in Fit
            .AppendCacheCheckpoint(ml);
        var model = pipeline.Fit(split.TrainSet);
        var validation = model.Transform(split.TestSet);                        // lazy: rows are computed as they are read
        // ---

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), data.Schema["Image"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 10), data.Schema["Label"].Type);
        Assert.AreEqual("T-shirt/top", data.Schema["Label"].GetClassNames()[0]);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 392), validation.Schema["Hog"].Type);
        // 10 % of each of the ten classes of 6,000 images.
        Assert.AreEqual(6_000L, split.TestSet.GetRowCount());
        var hog = TestData.Vectors(ml.Data.TakeRows(validation, 200), "Hog");
        Assert.IsTrue(hog.All(row => row.All(float.IsFinite)));
    }

    /// <summary>
    /// The README's trainer example as written there: compiled with the suite (so its API stays true) but not run,
    /// since it trains for minutes; TrainerTests and TrainerIntegrationTests run the same calls on less data.
    /// </summary>
    private static void TrainerExample()
    {
        // --- README "Trainers: TorchSharp as ML.NET multiclass trainers" ---
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadMnist(DataSplit.Train);
        var trainer = ml.MulticlassClassification.Trainers.Cnn(featureColumnName: "Image", filters: [32], denseUnits: [100],
            options: new TrainingOptions
            {
                Optimizer = new OptimizerSpec("adam", learningRate: 1e-3),
                BatchSize = 32, Epochs = 10, Seed = 1, ValidationFraction = 0.1,      // or trainer.Fit(train, validation)
                Callbacks = [new EarlyStopping { Monitor = "val_loss", Patience = 3, RestoreBestWeights = true }],
            });
        trainer.EpochCompleted += (_, epoch) => Console.WriteLine(epoch);
        var model = ml.Transforms.ScalePixels("Image").Append(trainer).Fit(train);
        ClassificationModel network = model.LastTransformer;                    // Score, PredictedLabel; the TorchSharp module
        Console.WriteLine(network.Summary);                                     // Keras' model.summary()
        var folds = ml.MulticlassClassification.CrossValidate(train, ml.Transforms.ScalePixels("Image").Append(trainer), numberOfFolds: 3);
        Console.WriteLine(folds.Summarize());                                   // mean ± std of every metric
        // ---
    }

    /// <summary>The README's engine example as written there (compiled, not run).</summary>
    private static void EngineExample(MLContext ml, IDataView scaledTrain)
    {
        // --- README "The engine: TorchSharp" ---
        using var model = ml.MulticlassClassification.Trainers.Cnn(filters: [32, 64], denseUnits: [128]).Fit(scaledTrain);   // a ClassificationModel
        Network network = model.Network;                                   // a TorchSharp module
        var state = network.state_dict();                                  // "conv2d.weight", "dense.bias", …
        using var logits = network.call(TorchSharp.torch.rand(8, 1, 28, 28));         // [8, 10]
        network.save("weights.dat");                                       // TorchSharp's format
        // ---
    }

    /// <summary>Keeps the compiled-only examples referenced.</summary>
    internal static (Action, Action<MLContext, IDataView>) CompiledExamples => (TrainerExample, EngineExample);
}
