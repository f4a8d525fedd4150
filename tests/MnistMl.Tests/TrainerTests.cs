using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Trainers;
using MnistMl.Transforms;
using MnistMl.Trainers.Callbacks;
using MnistMl.Trainers.Layers;

namespace MnistMl.Tests;

/// <summary>The TorchSharp trainers as ML.NET trainers: learning, History, callbacks, divergence, bad input.</summary>
[TestClass]
public sealed class TrainerTests
{
    private static readonly MLContext Ml = new(seed: 1);
    private static MulticlassClassificationCatalog.MulticlassClassificationTrainers Trainers => Ml.MulticlassClassification.Trainers;

    /// <summary>2,000 MNIST training images scaled to [0, 1] and flattened, cached.</summary>
    private static readonly Lazy<IDataView> Digits = new(() =>
    {
        var data = Ml.Data.TakeRows(Ml.Data.LoadMnist(DataSplit.Train), 2000);
        var pipeline = Ml.Transforms.ScalePixels("Image").Append(Ml.Transforms.Flatten("Features", "Image")).AppendCacheCheckpoint(Ml);
        return pipeline.Fit(data).Transform(data);
    });

    private static readonly Lazy<IDataView> TestDigits = new(() =>
    {
        var data = TestData.MnistTestRows(1000);
        var pipeline = Ml.Transforms.ScalePixels("Image").Append(Ml.Transforms.Flatten("Features", "Image"));
        return pipeline.Fit(data).Transform(data);
    });

    [TestMethod]
    public void MlpLearnsDigitsAndPredictsThroughTheModel()
    {
        var trainer = Trainers.Mlp(hiddenUnits: [64], options: new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 1, ValidationFraction = 0.1 });
        var epochs = new List<EpochMetrics>();
        trainer.EpochCompleted += (_, m) => epochs.Add(m);
        using var model = trainer.Fit(Digits.Value);
        Assert.AreEqual(3, model.History.Epochs.Count);
        CollectionAssert.AreEqual(model.History.Epochs, epochs);
        Assert.IsTrue(model.History.Epochs[2].Loss < model.History.Epochs[0].Loss, "the training loss falls");
        Assert.IsNotNull(model.History.Epochs[2].ValidationAccuracy);
        var scored = model.Transform(TestDigits.Value);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 10), scored.Schema["Score"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 10), scored.Schema["PredictedLabel"].Type);
        var scores = TestData.Vectors(scored, "Score");
        foreach (var row in scores) Assert.AreEqual(1.0, row.Sum(), 1e-5);
        var predicted = TestData.Keys(scored, "PredictedLabel");
        var labels = TestData.Keys(scored, "Label");
        for (int r = 0; r < scores.Length; r++) Assert.AreEqual((uint)Array.IndexOf(scores[r], scores[r].Max()) + 1, predicted[r], $"row {r}: PredictedLabel is the arg-max of Score");
        int correct = predicted.Zip(labels).Count(p => p.First == p.Second);
        // Chance is 100 of 1,000; this seed reaches 837.
        Assert.IsTrue(correct > 800, $"{correct} of {labels.Length} test digits right after 3 epochs on 1,800");
    }

    [TestMethod]
    public void SameSeedTrainsIdentically()
    {
        var options = new TrainingOptions { Epochs = 1, Seed = 7 };
        using var a = Trainers.Mlp(hiddenUnits: [32], options: options).Fit(Digits.Value);
        using var b = Trainers.Mlp(hiddenUnits: [32], options: options).Fit(Digits.Value);
        Assert.AreEqual(a.History.Epochs[0].Loss, b.History.Epochs[0].Loss);
    }

    [TestMethod]
    public void EarlyStoppingStopsAndRestoresTheBestEpoch()
    {
        var stopping = new EarlyStopping { Monitor = "val_loss", Patience = 1, MinDelta = 10, RestoreBestWeights = true };
        var options = new TrainingOptions { Epochs = 10, Seed = 1, ValidationFraction = 0.2, Callbacks = [stopping] };
        using var model = Trainers.Mlp(hiddenUnits: [32], options: options).Fit(Digits.Value);
        // min_delta 10 makes every epoch after the first a non-improvement: patience 1 stops after epoch 2.
        Assert.AreEqual(2, model.History.Epochs.Count);
        StringAssert.StartsWith(model.History.StopReason, "EarlyStopping: val_loss has not improved for 1 epochs after epoch 1");
        Assert.AreEqual(1, model.History.RestoredEpoch);
    }

    [TestMethod]
    public void ReduceLROnPlateauAndSchedulersChangeTheLearningRate()
    {
        var plateau = new ReduceLROnPlateau { Monitor = "loss", MinDelta = 10, Patience = 1, Factor = 0.5, MinLr = 2e-4 };
        var options = new TrainingOptions { Epochs = 5, Seed = 1, Optimizer = new OptimizerSpec("adam", 1e-3), Callbacks = [plateau] };
        using var model = Trainers.Mlp(hiddenUnits: [16], options: options).Fit(Digits.Value);
        // Epoch 1 always improves on +∞; from epoch 2 on nothing beats min_delta 10, so the rate halves after each epoch, down to min_lr.
        CollectionAssert.AreEqual(new[] { 1e-3, 1e-3, 5e-4, 2.5e-4, 2e-4 }, model.History.Epochs.Select(e => Math.Round(e.LearningRate, 10)).ToArray());

        // Seed 004's schedule: lr *= 0.1 each epoch after epoch index 10 (a compounding piecewise schedule).
        var seed004 = new LearningRateScheduler { Schedule = "piecewise", Boundaries = [10, 20, 30, 40], Factors = [1, 1e-1, 1e-2, 1e-3, 0.5e-3], Compound = true };
        var function = new LearningRateScheduler((epoch, lr) => epoch > 10 ? lr * 0.1 : lr);
        double a = 1e-3, b = 1e-3;
        for (int epoch = 0; epoch < 14; epoch++)
        {
            a = seed004.LearningRateFor(epoch, a, 1e-3);
            b = function.LearningRateFor(epoch, b, 1e-3);
            Assert.AreEqual(b, a, 1e-18, $"epoch {epoch}");
        }
        Assert.AreEqual(1e-6, a, 1e-15);
    }

    [TestMethod]
    public void StepScheduleFollowsItsFormula()
    {
        var step = new LearningRateScheduler { Schedule = "step", Factor = 0.5, StepSize = 2 };
        var options = new TrainingOptions { Epochs = 5, Seed = 1, Optimizer = new OptimizerSpec("sgd", 0.1), Callbacks = [step] };
        using var model = Trainers.Mlp(hiddenUnits: [8], options: options).Fit(Digits.Value);
        CollectionAssert.AreEqual(new[] { 0.1, 0.1, 0.05, 0.05, 0.025 }, model.History.Epochs.Select(e => Math.Round(e.LearningRate, 12)).ToArray());
    }

    [TestMethod]
    public void ModelCheckpointWritesTheBestWeights()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "best.weights");
        var checkpoint = new ModelCheckpoint { FilePath = path, Monitor = "loss" };
        using var model = Trainers.Mlp(hiddenUnits: [8], options: new TrainingOptions { Epochs = 2, Seed = 1, Callbacks = [checkpoint] }).Fit(Digits.Value);
        Assert.AreEqual(2, checkpoint.SavedEpoch);
        using var restored = model.Spec.Build([784], 10);
        // The Mlp shorthand starts with Flatten, so the first parameter is the first Dense layer's kernel.
        restored.load(path);
        CollectionAssert.AreEqual(model.Network.parameters().First().data<float>().ToArray(), restored.parameters().First().data<float>().ToArray());
    }

    [TestMethod]
    public void DivergenceStopsWithEpochBatchAndLearningRate()
    {
        var options = new TrainingOptions { Epochs = 3, Seed = 1, Optimizer = new OptimizerSpec("sgd", 1e30) };
        using var model = Trainers.Mlp(hiddenUnits: [32], options: options).Fit(Digits.Value);
        Assert.IsTrue(model.History.Diverged);
        StringAssert.Contains(model.History.StopReason, "Training diverged: the loss became");
        StringAssert.Contains(model.History.StopReason, "at epoch 1, batch ");
        StringAssert.Contains(model.History.StopReason, "learning rate 1E+30");
    }

    [TestMethod]
    public void MseLossAndRegularizersTrain()
    {
        var spec = new NetworkSpec(
            new DenseLayer(32, "relu") { KernelRegularizer = new Regularizer(L1: 1e-5, L2: 1e-4), ActivityRegularizer = new Regularizer(L1: 1e-5) },
            new DenseLayer(10, "softmax"));
        var options = new TrainingOptions { Epochs = 2, Seed = 1, Loss = "mse", Optimizer = new OptimizerSpec("rmsprop") };
        using var model = Trainers.Network(spec, options: options).Fit(Digits.Value);
        Assert.IsTrue(model.History.Epochs[1].Loss < model.History.Epochs[0].Loss);
        Assert.IsTrue(model.History.Epochs[1].Accuracy > 0.5);
    }

    /// <summary>A user callback: counts batches and stops after the first epoch.</summary>
    private sealed class CountingCallback : Callback
    {
        public int Batches;
        public List<int> Epochs = [];

        public override void OnBatchEnd(TrainingState state, int epochIndex, int batchIndex, double loss) => Batches++;

        public override void OnEpochEnd(TrainingState state, EpochMetrics metrics)
        {
            Epochs.Add(metrics.Epoch);
            state.Stop("the user callback stopped training");
        }
    }

    [TestMethod]
    public void UserCallbacksSeeEveryBatchAndCanStopTraining()
    {
        var counting = new CountingCallback();
        using var model = Trainers.Mlp(hiddenUnits: [8], options: new TrainingOptions { Epochs = 5, BatchSize = 100, Seed = 1, Callbacks = [counting] }).Fit(Digits.Value);
        Assert.AreEqual(20, counting.Batches); // 2,000 rows / 100
        CollectionAssert.AreEqual(new[] { 1 }, counting.Epochs);
        Assert.AreEqual("the user callback stopped training", model.History.StopReason);
    }

    // ---- bad input: a clear error before any training starts ----

    private static void FailsNaming(Action fit, params string[] fragments)
    {
        var e = Assert.Throws<Exception>(fit);
        foreach (var f in fragments) StringAssert.Contains(e.Message, f);
    }

    [TestMethod]
    public void BadNetworkSpecificationsAreRejected()
    {
        FailsNaming(() => Trainers.Network(new NetworkSpec(new Conv2DLayer(8, 3), new DenseLayer(10, "softmax")), featureColumnName: "Image")
            .Fit(TestData.MnistTestRows(10)), "layer 1 (dense, Dense) needs a flat input", "add a Flatten");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [16], activations: ["swoosh"]).Fit(Digits.Value), "Unknown activation 'swoosh'");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [0]).Fit(Digits.Value), "units must be positive");
        FailsNaming(() => Trainers.Cnn(filters: [0]).Fit(TestData.MnistTestRows(10)), "filters must be positive");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [16], dropout: 1.0).Fit(Digits.Value), "dropout rate must be in [0, 1)");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [16], kernelInitializer: "magic").Fit(Digits.Value), "Unknown initializer 'magic'");
        FailsNaming(() => NetworkSpec.FromJson("""{"layers": [{"type": "Dense2", "units": 3}]}"""), "Invalid network specification");
        FailsNaming(() => NetworkSpec.FromJson("""{"layers": [{"type": "Dense", "unitz": 3}]}"""), "unitz");
        FailsNaming(() => Trainers.Network(new NetworkSpec(new DenseLayer(5, "softmax"))).Fit(Digits.Value), "The last layer must be Dense(10)");
    }

    [TestMethod]
    public void BadTrainingOptionsAreRejected()
    {
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [8], options: new TrainingOptions { BatchSize = 0 }).Fit(Digits.Value), "batch size must be positive");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [8], options: new TrainingOptions { Epochs = -1 }).Fit(Digits.Value), "epochs must be positive");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [8], options: new TrainingOptions { Optimizer = new OptimizerSpec("adamax") }).Fit(Digits.Value), "Unknown optimizer 'adamax'");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [8], options: new TrainingOptions { Optimizer = new OptimizerSpec("sgd", 0) }).Fit(Digits.Value), "learning rate");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [8], options: new TrainingOptions { Loss = "hinge" }).Fit(Digits.Value), "Unknown loss 'hinge'");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [8], options: new TrainingOptions { Callbacks = [new EarlyStopping()] }).Fit(Digits.Value), "monitors 'val_loss', but training has no validation data");
    }

    [TestMethod]
    public void LabelsOutsideTheClassRangeAreRejected()
    {
        // Raw key 0 is ML.NET's missing value: LoadFromEnumerable maps a key member outside [0, 3) to it.
        var data = Ml.Data.LoadFromEnumerable(new[] { new KeyedRow { Features = [1, 2], Label = 0 }, new KeyedRow { Features = [3, 4], Label = 5 } },
            SchemaDefinitionFor(3));
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [4]).Fit(data), "Row 1 of the training data has a missing label in column 'Label'");
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [4]).Fit(TestData.MnistTestRows(10)), "no column 'Features'");
        var textLabels = Ml.Data.LoadFromEnumerable(new[] { new TextRow { Features = [1, 2], Label = "a" } });
        FailsNaming(() => Trainers.Mlp(hiddenUnits: [4]).Fit(textLabels), "Label column 'Label' of the training data is String", "MapValueToKey");
    }

    private sealed class KeyedRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    private sealed class TextRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
        public string Label { get; set; } = "";
    }

    private static SchemaDefinition SchemaDefinitionFor(int classes)
    {
        var definition = SchemaDefinition.Create(typeof(KeyedRow));
        definition["Label"].ColumnType = new KeyDataViewType(typeof(uint), classes);
        return definition;
    }
}
