using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MnistMl.Onnx;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;
using MnistMl.Trainers.Transfer;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Tests;

/// <summary>
/// Transfer learning with a MobileNetV2 backbone (the torchvision fixture of <see cref="MobileNetV2BackboneTests"/>):
/// fine-tuning trains only the blocks it should and keeps frozen batch-norm statistics; a pipeline with a frozen
/// ApplyBackbone step carries the backbone in its model file; a fine-tuned pipeline exports to one ONNX file that
/// ONNX Runtime runs as TorchSharp does. Data: a few hundred MNIST digits padded to 32×32, gray copied to RGB,
/// normalized with ImageNet's statistics; training is cut short — these tests check mechanics, not accuracy.
/// </summary>
[TestClass]
public sealed class MobileNetV2TransferTests
{
    private static string Fixture => FixtureFiles.Committed("MobileNetV2", "torchvision_mobilenet_v2_w025_10.onnx");

    private static readonly TransformSpec[] ToBackboneInput =
    [
        new ScalePixelsStep { Output = "Image" },
        new PadImagesStep { Padding = 2 },
        new GrayscaleToRgbStep(),
        new NormalizeImageNetStep(),
    ];

    private static IDataView BackboneInput(int rows)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.MnistTestRows(rows);
        var chain = ToBackboneInput.Select(s => s.CreateEstimator(ml)).Aggregate((IEstimator<ITransformer>)new EstimatorChain<ITransformer>(), (c, e) => c.Append(e));
        return ml.Data.Cache(chain.Fit(data).Transform(data));
    }

    [TestMethod]
    public void FineTuningTrainsOnlyTheTopBlocksAndKeepsBatchNormStatistics()
    {
        var spec = new NetworkSpec(
            new MobileNetV2Layer { Weights = Fixture, TrainableBlocks = 2, BatchNormInference = true },
            new GlobalAveragePooling2DLayer(), new DenseLayer(10, "softmax"));
        var data = BackboneInput(128);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 2, Optimizer = new OptimizerSpec("adam", 1e-3) };
        using var model = new ClassifierTrainer(spec, options, "Image").Fit(data);
        using var imported = new MobileNetV2Features(0.25);
        MobileNetV2Weights.Import(imported, Transfer.OnnxBackbone.Load(Fixture));

        var trained = (MobileNetV2Features)model.Network.Layers[0].Core!;
        Assert.AreEqual(17, trained.FrozenBlocks);
        var before = imported.state_dict();
        foreach (var (name, tensor) in trained.state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            int block = int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
            bool statistic = name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith("running_var", StringComparison.Ordinal);
            bool same = tensor.equal(before[name]).all().item<bool>();
            if (statistic || block < 17) Assert.IsTrue(same, $"{name} unchanged (frozen block, or batch-norm statistics in inference mode)");
            else if (name.EndsWith("weight", StringComparison.Ordinal)) Assert.IsFalse(same, $"{name} trained");
        }
        // Keras' counts: the top two blocks and the head train; the frozen blocks and every moving statistic do not.
        long topBlocks = trained.Features.children().Skip(17).Sum(b => b.parameters().Sum(p => p.NumberOfElements));
        long head = 1280 * 10 + 10;
        Assert.AreEqual(topBlocks + head, model.Summary.TrainableParameters);
        long all = trained.parameters().Sum(p => p.NumberOfElements);
        long statistics = trained.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Sum(b => b.buffer.NumberOfElements);
        Assert.AreEqual(all - topBlocks + statistics, model.Summary.NonTrainableParameters);
    }

    [TestMethod]
    public void FrozenBackbonePipelineCarriesItsBackboneInTheModelFile()
    {
        using var folder = new TempFolder();
        var backbone = Path.Combine(folder.Path, "backbone.onnx");
        File.Copy(Fixture, backbone);
        var definition = new PipelineDefinition
        {
            Name = "frozen",
            Data = new DataSection { Dataset = "mnist", TrainRows = 300, Seed = 1 },
            Transforms = [.. ToBackboneInput, new ApplyBackboneStep { Backbone = backbone }],
            FeatureColumn = "Features",
            Network = new NetworkSpec(new BatchNormalizationLayer(), new DenseLayer(32, "relu"), new DenseLayer(10, "softmax")),
            Training = new TrainingSection { Epochs = 2, BatchSize = 32, Seed = 1 },
        };
        var run = PipelineRunner.Run(definition);
        using var pipeline = run.Pipeline;
        var modelPath = Path.Combine(folder.Path, "frozen.zip");
        pipeline.Save(modelPath);
        File.Delete(backbone);

        var test = TestData.MnistTestRows(40);
        var expected = TestData.Vectors(pipeline.Transform(test), "Score");
        using var reloaded = TrainedPipeline.Load(modelPath);
        var again = TestData.Vectors(reloaded.Transform(test), "Score");
        for (int r = 0; r < expected.Length; r++) CollectionAssert.AreEqual(expected[r], again[r], $"row {r}, pipeline reloaded without the backbone file");
        var plain = new MLContext().Model.Load(modelPath, out _);
        var viaMlNet = TestData.Vectors(plain.Transform(test), "Score");
        for (int r = 0; r < expected.Length; r++) TestData.Near(expected[r], viaMlNet[r], rtol: 1e-5, atol: 1e-6, what: $"row {r} through ml.Model.Load");
    }

    [TestMethod]
    public void FineTunedPipelineExportsToOneOnnxModel()
    {
        using var folder = new TempFolder();
        var backbone = Path.Combine(folder.Path, "backbone.onnx");
        File.Copy(Fixture, backbone);
        var definition = new PipelineDefinition
        {
            Name = "fine-tuned",
            Data = new DataSection { Dataset = "mnist", TrainRows = 200, Seed = 1 },
            Transforms = [.. ToBackboneInput],
            FeatureColumn = "Image",
            Network = new NetworkSpec(new MobileNetV2Layer { Weights = backbone, TrainableBlocks = 3 }, new GlobalAveragePooling2DLayer(),
                new DropoutLayer(0.5), new DenseLayer(10, "softmax")),
            Training = new TrainingSection { Epochs = 1, BatchSize = 32, Seed = 1 },
        };
        using var pipeline = PipelineRunner.Run(definition).Pipeline;
        Assert.AreEqual(0.25, pipeline.Network.Spec.Layers.OfType<MobileNetV2Layer>().Single().Alpha, "saved with the width it was built with");
        var path = Path.Combine(folder.Path, "fine-tuned.onnx");
        OnnxExporter.Export(pipeline.Model, pipeline.InputSchema, path);

        var expectedScores = OnnxParity.AssertMatches(pipeline, path, rows: 100);

        // ml.Model.Save keeps it as for the other trainers: the network saved as ApplyOnnxModel, scored by ML.NET alone.
        var modelPath = Path.Combine(folder.Path, "fine-tuned.zip");
        new MLContext().Model.Save(pipeline.Model, pipeline.InputSchema, modelPath);
        var loaded = new MLContext().Model.Load(modelPath, out _);
        var again = TestData.Vectors(loaded.Transform(TestData.MnistTestRows(20)), "Score");
        for (int r = 0; r < again.Length; r++) TestData.Near(expectedScores[r], again[r], rtol: 1e-4, atol: 1e-5, what: $"row {r} through ml.Model.Load");

        // The pipeline's own model file reloads the TorchSharp network without the backbone file: its weights are inside.
        var pipelinePath = Path.Combine(folder.Path, "fine-tuned-pipeline.zip");
        pipeline.Save(pipelinePath);
        File.Delete(backbone);
        using var reloaded = TrainedPipeline.Load(pipelinePath);
        var reloadedScores = TestData.Vectors(reloaded.Transform(TestData.MnistTestRows(20)), "Score");
        for (int r = 0; r < reloadedScores.Length; r++) CollectionAssert.AreEqual(expectedScores[r], reloadedScores[r], $"row {r} through TrainedPipeline.Load");
    }
}
