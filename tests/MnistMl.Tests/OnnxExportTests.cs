using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MnistMl.Onnx;
using MnistMl.Onnx.Proto;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Tests;

/// <summary>
/// The whole-pipeline ONNX export (ML.NET transforms, then an MnistMl network) read back with the generated
/// protobuf classes: format versions, inputs and outputs, metadata, weights, the operators of the preprocessing and
/// the network, and the errors. Running the exported models is checked in <see cref="OnnxParityTests"/> (with ONNX
/// Runtime).
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    private static readonly string[] ClassNames = ["circle", "square", "triangle"];

    private static readonly OnnxExportOptions CnnOptions = new() { Name = "tiny-cnn", Description = "A tiny CNN for the export tests." };

    private static readonly OnnxExportOptions MlpOptions = new() { Name = "tiny-mlp" };

    private static readonly TrainingOptions Training = new() { Epochs = 1, BatchSize = 8, Seed = 1 };

    private static NetworkSpec CnnNetwork => new(
        new Conv2DLayer(4, 3, "relu", "same") { Strides = [2, 2] },
        new BatchNormalizationLayer(),
        new MaxPool2DLayer { PoolSize = [3, 3], Strides = [2, 2], Padding = "same" },
        new DropoutLayer(0.25),
        new FlattenLayer(),
        new DenseLayer(8, "gelu"),
        new DenseLayer(3, "softmax"));

    private static NetworkSpec MlpNetwork => new(new DenseLayer(6, "relu"), new DenseLayer(3, "softmax"));

    /// <summary>A fitted pipeline and the schema of the raw data it was fitted on.</summary>
    private sealed record Fitted(TransformerChain<ClassificationModel> Model, DataViewSchema InputSchema) : IDisposable
    {
        public ClassificationModel Network => Model.LastTransformer;

        public ModelProto ToModel(OnnxExportOptions? options = null) => OnnxExporter.ToModel(Model, InputSchema, options);

        public byte[] ToBytes(OnnxExportOptions? options = null) => OnnxExporter.ToBytes(Model, InputSchema, options);

        public void Dispose() => Network.Dispose();
    }

    /// <summary>Fits <paramref name="transforms"/> and the network (on <paramref name="featureColumn"/>) on 24 random 12×12 byte images of three classes.</summary>
    private static Fitted Fit(Func<MLContext, IEstimator<ITransformer>> transforms, NetworkSpec network, string featureColumn)
    {
        var ml = new MLContext(seed: 1);
        var pixels = new byte[24 * 12 * 12];
        new Random(7).NextBytes(pixels);
        var data = ml.Data.LoadImages(pixels, Enumerable.Range(0, 24).Select(i => i % 3).ToArray(), (1, 12, 12), ClassNames);
        var model = transforms(ml)
            .Append(ml.MulticlassClassification.Trainers.Network(network, featureColumnName: featureColumn, options: Training))
            .Fit(data);
        return new Fitted(model, data.Schema);
    }

    private static Fitted FitCnn(Func<MLContext, IEstimator<ITransformer>>? transforms = null) =>
        Fit(transforms ?? (ml => ml.Transforms.ScalePixels("Image")), CnnNetwork, "Image");

    /// <summary>ScalePixels, Flatten into Features, a fitted normalizer of Features (mean-variance with offsets by default), then <paramref name="extra"/>.</summary>
    private static Fitted FitMlp(Func<MLContext, IEstimator<ITransformer>>? normalizer = null, Func<MLContext, IEstimator<ITransformer>>? extra = null) =>
        Fit(ml =>
        {
            var chain = ml.Transforms.ScalePixels("Image")
                .Append(ml.Transforms.Flatten("Features", "Image"))
                .Append((normalizer ?? (c => c.Transforms.NormalizeMeanVariance("Features", fixZero: false)))(ml));
            return extra is null ? chain : chain.Append(extra(ml));
        }, MlpNetwork, "Features");

    private static ModelProto Parse(byte[] bytes) => ModelProto.Parser.ParseFrom(bytes);

    private static IReadOnlyList<string> Shape(ValueInfoProto value) =>
        value.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString()).ToList();

    private static float[] Floats(TensorProto tensor)
    {
        Assert.AreEqual((int)TensorProto.Types.DataType.Float, tensor.DataType, tensor.Name);
        return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    private static long[] Int64s(TensorProto tensor)
    {
        Assert.AreEqual((int)TensorProto.Types.DataType.Int64, tensor.DataType, tensor.Name);
        return MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray();
    }

    private static TensorProto Initializer(ModelProto model, string name) =>
        model.Graph.Initializer.SingleOrDefault(t => t.Name == name) ?? throw new AssertFailedException($"No initializer '{name}'.");

    private static AttributeProto Attribute(NodeProto node, string name) =>
        node.Attribute.SingleOrDefault(a => a.Name == name) ?? throw new AssertFailedException($"{node.OpType} '{node.Name}' has no attribute '{name}'.");

    private static NodeProto Single(ModelProto model, string opType) => model.Graph.Node.Single(n => n.OpType == opType);

    private static string[] Ops(ModelProto model) => model.Graph.Node.Select(n => n.OpType).ToArray();

    [TestMethod]
    public void ExportedBytesParseBackWithOpsetIrVersionAndDynamicBatchInputAndOutputs()
    {
        using var pipeline = FitCnn();
        var model = Parse(pipeline.ToBytes(CnnOptions));

        Assert.AreEqual(8L, model.IrVersion);
        Assert.AreEqual(OnnxModels.IrVersion, model.IrVersion);
        Assert.AreEqual(1, model.OpsetImport.Count);
        Assert.AreEqual("", model.OpsetImport[0].Domain);
        Assert.AreEqual(13L, model.OpsetImport[0].Version);
        Assert.AreEqual(OnnxModels.OpsetVersion, model.OpsetImport[0].Version);
        Assert.AreEqual("MnistMl", model.ProducerName);
        Assert.AreEqual(OnnxModels.ProducerVersion, model.ProducerVersion);
        Assert.AreEqual("tiny-cnn", model.Graph.Name);
        Assert.AreEqual("A tiny CNN for the export tests.", model.DocString);

        var input = model.Graph.Input.Single();
        Assert.AreEqual("image", input.Name);
        Assert.AreEqual((int)TensorProto.Types.DataType.Float, input.Type.TensorType.ElemType);
        CollectionAssert.AreEqual(new[] { "N", "1", "12", "12" }, Shape(input).ToArray());

        CollectionAssert.AreEqual(new[] { OnnxExporter.ProbabilitiesOutput, OnnxExporter.LabelOutput }, model.Graph.Output.Select(o => o.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "probabilities", "label" }, model.Graph.Output.Select(o => o.Name).ToArray());
        var probabilities = model.Graph.Output[0];
        Assert.AreEqual((int)TensorProto.Types.DataType.Float, probabilities.Type.TensorType.ElemType);
        CollectionAssert.AreEqual(new[] { "N", "3" }, Shape(probabilities).ToArray());
        var label = model.Graph.Output[1];
        Assert.AreEqual((int)TensorProto.Types.DataType.Int64, label.Type.TensorType.ElemType);
        CollectionAssert.AreEqual(new[] { "N" }, Shape(label).ToArray());

        // The label is the arg-max of the probabilities, which are the softmax of the logits.
        var softmax = model.Graph.Node.Single(n => n.Output.Contains("probabilities"));
        Assert.AreEqual("Softmax", softmax.OpType);
        var argMax = model.Graph.Node.Single(n => n.Output.Contains("label"));
        Assert.AreEqual("ArgMax", argMax.OpType);
        CollectionAssert.AreEqual(new[] { "probabilities" }, argMax.Input.ToArray());
        Assert.AreEqual(1L, Attribute(argMax, "axis").I);
        Assert.AreEqual(0L, Attribute(argMax, "keepdims").I);
    }

    [TestMethod]
    public void MetadataNamesTheClassesProducerPipelineAndPreprocessing()
    {
        using var pipeline = FitCnn();
        var model = Parse(pipeline.ToBytes(CnnOptions with { Metadata = new Dictionary<string, string> { ["author"] = "tests" } }));
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

        CollectionAssert.AreEqual(ClassNames, JsonSerializer.Deserialize<string[]>(metadata[OnnxExporter.MetadataKeys.ClassNames]));
        CollectionAssert.AreEqual(ClassNames, JsonSerializer.Deserialize<string[]>(metadata["class_names"]));
        Assert.AreEqual($"MnistMl {OnnxModels.ProducerVersion}", metadata["producer"]);
        Assert.AreEqual("tiny-cnn", metadata["pipeline_name"]);
        Assert.AreEqual("A tiny CNN for the export tests.", metadata["pipeline_description"]);
        Assert.AreEqual("Image", metadata["input_column"]);
        Assert.AreEqual("Image", metadata["feature_column"]);
        Assert.AreEqual("tests", metadata["author"]);
        var steps = metadata["preprocessing"].Split('\n');
        Assert.HasCount(2, steps, metadata["preprocessing"]);
        StringAssert.StartsWith(steps[0], "Input: 'image' float32 [N, 1, 12, 12]");
        StringAssert.StartsWith(steps[1], "ScalePixels: Image = Image × 0.00392156");

        var e = Assert.ThrowsExactly<ArgumentException>(() => pipeline.ToBytes(
            new OnnxExportOptions { Metadata = new Dictionary<string, string> { ["class_names"] = "[]" } }));
        StringAssert.Contains(e.Message, "class_names");
    }

    [TestMethod]
    public void InitializersEqualTheNetworksWeightsUnderTheirStateDictNames()
    {
        using var pipeline = FitCnn();
        var model = Parse(pipeline.ToBytes());
        var state = pipeline.Network.Network.state_dict();
        CollectionAssert.IsSubsetOf(new[] { "conv2d.weight", "conv2d.bias", "batch_normalization.running_mean", "batch_normalization.running_var", "dense_1.weight" }, state.Keys.ToArray());
        // num_batches_tracked is PyTorch's step counter (used only with momentum=None), not a weight of the graph.
        foreach (var (name, tensor) in state.Where(p => !p.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
        {
            var initializer = Initializer(model, name);
            CollectionAssert.AreEqual(tensor.shape, initializer.Dims.ToArray(), name);
            using var contiguous = tensor.contiguous();
            CollectionAssert.AreEqual(contiguous.data<float>().ToArray(), Floats(initializer), name);
        }
        // Batch normalization has trained running statistics, not the initial ones.
        CollectionAssert.AreNotEqual(new float[4], Floats(Initializer(model, "batch_normalization.running_mean")));
    }

    [TestMethod]
    public void NetworkLayersBecomeTheirOperatorsWithTheModulesPadding()
    {
        using var pipeline = FitCnn();
        var model = Parse(pipeline.ToBytes());
        var ops = Ops(model);
        CollectionAssert.AreEqual(new[]
        {
            "Div",                                      // ScalePixels (1/255 is written as a division by 255)
            "Conv", "Relu", "BatchNormalization", "MaxPool", "Flatten",
            "Gemm", "Mul", "Erf", "Add", "Mul", "Mul",  // Dense + exact GELU
            "Gemm", "Softmax", "ArgMax",
        }, ops, string.Join(", ", ops));

        // 12 → 6 with a 3×3 kernel and stride 2: one row and column of padding, at the bottom and right (TensorFlow "same").
        var conv = Single(model, "Conv");
        CollectionAssert.AreEqual(new long[] { 0, 0, 1, 1 }, Attribute(conv, "pads").Ints.ToArray());
        CollectionAssert.AreEqual(new long[] { 2, 2 }, Attribute(conv, "strides").Ints.ToArray());
        CollectionAssert.AreEqual(new long[] { 3, 3 }, Attribute(conv, "kernel_shape").Ints.ToArray());
        Assert.AreEqual(1L, Attribute(conv, "group").I);
        var pool = Single(model, "MaxPool");
        CollectionAssert.AreEqual(new long[] { 0, 0, 1, 1 }, Attribute(pool, "pads").Ints.ToArray());
        Assert.AreEqual(1e-3f, Attribute(Single(model, "BatchNormalization"), "epsilon").F);
        var gemms = model.Graph.Node.Where(n => n.OpType == "Gemm").ToList();
        Assert.IsTrue(gemms.All(g => Attribute(g, "transB").I == 1));
        CollectionAssert.AreEqual(new[] { "dense.weight", "dense.bias" }, gemms[0].Input.Skip(1).ToArray());
        Assert.AreEqual(-1L, Attribute(Single(model, "Softmax"), "axis").I);
    }

    [TestMethod]
    public void LearnedMeanVarianceStatisticsAreExportedAndTheBatchStaysDynamic()
    {
        using var pipeline = FitMlp();
        var model = pipeline.ToModel(MlpOptions);
        var normalizer = pipeline.Model.OfType<NormalizingTransformer>().Single();
        var parameters = (NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>>)normalizer.GetNormalizerModelParameters(0);
        Assert.HasCount(144, parameters.Offset);
        Assert.HasCount(144, parameters.Scale);

        // ML.NET's affine normalizer computes (x − offset) × scale.
        var sub = Single(model, "Sub");
        var offset = Initializer(model, sub.Input[1]);
        CollectionAssert.AreEqual(new long[] { 1, 144 }, offset.Dims.ToArray());
        CollectionAssert.AreEqual(parameters.Offset.ToArray(), Floats(offset));
        var mul = model.Graph.Node.Single(n => n.OpType == "Mul" && n.Input[0] == sub.Output[0]);
        CollectionAssert.AreEqual(parameters.Scale.ToArray(), Floats(Initializer(model, mul.Input[1])));
        // Learned, not the identity.
        Assert.IsTrue(parameters.Offset.Any(v => v != 0) && parameters.Scale.Any(v => v != 1));

        // Flatten keeps the batch dimension (0 = copy it) rather than fixing it.
        var reshape = Single(model, "Reshape");
        CollectionAssert.AreEqual(new long[] { 0, 144 }, Int64s(Initializer(model, reshape.Input[1])));
        Assert.AreEqual("Features", model.MetadataProps.Single(p => p.Key == "feature_column").Value);
        CollectionAssert.AreEqual(new[] { "Div", "Reshape", "Sub", "Mul", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax" }, Ops(model));
    }

    [TestMethod]
    public void LearnedMinMaxScalesAreExportedAndAZeroOffsetWritesNoSub()
    {
        // NormalizeMinMax keeps zero at zero by default (fixZero): ML.NET stores no offset, so the export is one Mul.
        using var pipeline = FitMlp(ml => ml.Transforms.NormalizeMinMax("Features"));
        var model = pipeline.ToModel();
        var parameters = (NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>>)
            pipeline.Model.OfType<NormalizingTransformer>().Single().GetNormalizerModelParameters(0);
        Assert.IsTrue(parameters.Offset.IsDefaultOrEmpty);
        CollectionAssert.AreEqual(new[] { "Div", "Reshape", "Mul", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax" }, Ops(model));
        var mul = model.Graph.Node.Single(n => n.OpType == "Mul");
        var scale = Initializer(model, mul.Input[1]);
        CollectionAssert.AreEqual(new long[] { 1, 144 }, scale.Dims.ToArray());
        CollectionAssert.AreEqual(parameters.Scale.ToArray(), Floats(scale));
        Assert.IsTrue(parameters.Scale.Any(v => v != 1));
        StringAssert.Contains(model.MetadataProps.Single(p => p.Key == "preprocessing").Value, "Normalize: Features = (Features − offset) × scale");
    }

    [TestMethod]
    public void ImagePreprocessingBecomesPadConcatAndChannelNormalization()
    {
        using var pipeline = FitCnn(ml => ml.Transforms.ScalePixels("Image")
            .Append(ml.Transforms.PadImages("Image", padding: 2))
            .Append(ml.Transforms.ConvertGrayscaleToRgb("Image"))
            .Append(ml.Transforms.NormalizeImageNet("Image")));
        var model = pipeline.ToModel();
        var ops = model.Graph.Node.Select(n => n.OpType).TakeWhile(op => op != "Conv").ToArray();
        CollectionAssert.AreEqual(new[] { "Div", "Pad", "Concat", "Sub", "Mul" }, ops, string.Join(", ", ops));

        var pad = Single(model, "Pad");
        CollectionAssert.AreEqual(new long[] { 0, 0, 2, 2, 0, 0, 2, 2 }, Int64s(Initializer(model, pad.Input[1])));
        var rgb = Single(model, "Concat");
        Assert.HasCount(3, rgb.Input);
        Assert.IsTrue(rgb.Input.All(i => i == pad.Output[0]));
        Assert.AreEqual(1L, Attribute(rgb, "axis").I);
        var mean = Initializer(model, Single(model, "Sub").Input[1]);
        CollectionAssert.AreEqual(new long[] { 1, 3, 1, 1 }, mean.Dims.ToArray());
        CollectionAssert.AreEqual(new[] { 0.485f, 0.456f, 0.406f }, Floats(mean));
        CollectionAssert.AreEqual(new[] { "N", "1", "12", "12" }, Shape(model.Graph.Input.Single()).ToArray());
        // The network reads the padded RGB image: 3 channels in, 16×16 → 8×8 by the stride-2 "same" convolution.
        CollectionAssert.AreEqual(new long[] { 4, 3, 3, 3 }, Initializer(model, "conv2d.weight").Dims.ToArray());
    }

    [TestMethod]
    public void Uint8InputIsCastToFloatAndTheInputCanBeRenamed()
    {
        using var pipeline = FitCnn();
        var model = Parse(pipeline.ToBytes(new OnnxExportOptions { InputType = OnnxInputType.UInt8, InputName = "pixels" }));
        var input = model.Graph.Input.Single();
        Assert.AreEqual("pixels", input.Name);
        Assert.AreEqual((int)TensorProto.Types.DataType.Uint8, input.Type.TensorType.ElemType);
        var cast = model.Graph.Node[0];
        Assert.AreEqual("Cast", cast.OpType);
        CollectionAssert.AreEqual(new[] { "pixels" }, cast.Input.ToArray());
        Assert.AreEqual((long)TensorProto.Types.DataType.Float, Attribute(cast, "to").I);

        var e = Assert.ThrowsExactly<ArgumentException>(() => pipeline.ToBytes(new OnnxExportOptions { InputName = "label" }));
        StringAssert.Contains(e.Message, "'label'");
    }

    [TestMethod]
    public void HogFeaturesAreExported()
    {
        using var pipeline = Fit(ml => ml.Transforms.ScalePixels("Image")
            .Append(ml.Transforms.ExtractHogFeatures("Features", "Image", new Features.HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (2, 2) })),
            MlpNetwork, "Features");
        var model = pipeline.ToModel();
        var features = model.Graph.Node.Single(n => n.Output.Contains("Features/ExtractHogFeatures"));
        Assert.AreEqual("Reshape", features.OpType);
        // 3×3 cells of 4×4 pixels, 2×2 block positions of 2×2 cells, 8 bins: 128 features, as the network reads.
        Assert.AreEqual(128L, Initializer(model, "dense.weight").Dims[1]);
        StringAssert.Contains(model.MetadataProps.Single(p => p.Key == "preprocessing").Value, "ExtractHogFeatures: Features = HOG of Image (orientations 8");
    }

    [TestMethod]
    public void ExportWritesTheFileAtomically()
    {
        using var pipeline = FitMlp();
        using var folder = new TempFolder();
        var path = folder.File("model.onnx", "an older file");
        OnnxExporter.Export(pipeline.Model, pipeline.InputSchema, path, MlpOptions);
        CollectionAssert.AreEqual(pipeline.ToBytes(MlpOptions), File.ReadAllBytes(path));
        Assert.AreEqual("tiny-mlp", Parse(File.ReadAllBytes(path)).Graph.Name);
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFileSystemEntries(folder.Path), "no temporary file is left behind");
    }

    [TestMethod]
    public void AnUnsupportedTransformOnTheFeaturePathThrowsBeforeAnyFileIsWritten()
    {
        // ML.NET's ConvertType has no ONNX form here; Single → Single leaves the network's input as it was.
        using var pipeline = FitMlp(extra: ml => ml.Transforms.Conversion.ConvertType("Features", "Features", DataKind.Single));
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        var e = Assert.ThrowsExactly<NotSupportedException>(() => OnnxExporter.Export(pipeline.Model, pipeline.InputSchema, path));
        StringAssert.StartsWith(e.Message, "Cannot export to ONNX");
        StringAssert.Contains(e.Message, "TypeConvertingTransformer");
        StringAssert.Contains(e.Message, "transform 3");
        StringAssert.Contains(e.Message, "'Features'");
        Assert.IsFalse(File.Exists(path));
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder.Path));

        // An existing file is left as it was.
        File.WriteAllText(path, "an older file");
        Assert.ThrowsExactly<NotSupportedException>(() => OnnxExporter.Export(pipeline.Model, pipeline.InputSchema, path));
        Assert.AreEqual("an older file", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFileSystemEntries(folder.Path));
    }

    [TestMethod]
    public void AnUnsupportedTransformOffTheFeaturePathIsIgnored()
    {
        using var pipeline = FitMlp(extra: ml => ml.Transforms.Conversion.ConvertType("ImageAsDouble", "Image", DataKind.Double));
        var model = pipeline.ToModel();
        CollectionAssert.AreEqual(new[] { "Div", "Reshape", "Sub", "Mul", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax" }, Ops(model));
    }
}
