using System.Runtime.InteropServices;
using System.Text.Json;
using MnistMl.Data;
using MnistMl.Onnx;
using MnistMl.Onnx.Proto;
using MnistMl.Pipelines;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;
using MnistMl.Transforms;

namespace MnistMl.Tests;

/// <summary>
/// The ONNX export read back with the generated protobuf classes: format versions, inputs and outputs, metadata,
/// weights, the operators of the preprocessing and the network, and the errors. Running the exported models is
/// checked elsewhere (with ONNX Runtime).
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    private static readonly string[] ClassNames = ["circle", "square", "triangle"];

    private static PipelineDefinition Cnn => new()
    {
        Name = "tiny-cnn",
        Description = "A tiny CNN for the export tests.",
        Transforms = [new ScalePixelsStep()],
        FeatureColumn = "Image",
        Network = new NetworkSpec(
            new Conv2DLayer(4, 3, "relu", "same") { Strides = [2, 2] },
            new BatchNormalizationLayer(),
            new MaxPool2DLayer { PoolSize = [3, 3], Strides = [2, 2], Padding = "same" },
            new DropoutLayer(0.25),
            new FlattenLayer(),
            new DenseLayer(8, "gelu"),
            new DenseLayer(3, "softmax")),
        Training = new TrainingSection { Epochs = 1, BatchSize = 8, Seed = 1 },
    };

    private static PipelineDefinition Mlp => new()
    {
        Name = "tiny-mlp",
        Transforms =
        [
            new ScalePixelsStep(),
            new FlattenStep { Output = "Features", Input = "Image" },
            new NormalizeStep { Output = "Features", Kind = "mean_variance", Scope = "per_element" },
        ],
        FeatureColumn = "Features",
        Network = new NetworkSpec(new DenseLayer(6, "relu"), new DenseLayer(3, "softmax")),
        Training = new TrainingSection { Epochs = 1, BatchSize = 8, Seed = 1 },
    };

    /// <summary>Fits the definition's transforms (then <paramref name="extra"/>) and network on 24 random 12×12 byte images of three classes.</summary>
    private static TrainedPipeline Fit(PipelineDefinition definition, params ITransformer[] extra)
    {
        var ml = new MLContext(seed: 1);
        var pixels = new byte[24 * 12 * 12];
        new Random(7).NextBytes(pixels);
        var data = ml.Data.LoadFromImages(pixels, Enumerable.Range(0, 24).Select(i => i % 3).ToArray(), 1, 12, 12, ClassNames);
        var transforms = new List<ITransformer>();
        IDataView current = data;
        foreach (var transformer in definition.Transforms.Select(step => step.CreateEstimator(ml).Fit(current)).Concat(extra))
        {
            transforms.Add(transformer);
            current = transformer.Transform(current);
        }
        var trainer = new ClassifierTrainer(definition.Network, definition.Training.ToOptions(), definition.FeatureColumn, definition.LabelColumn);
        var model = trainer.Fit(InMemoryDataView.Materialize(current));
        return new TrainedPipeline(definition, data.Schema, transforms, model);
    }

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

    [TestMethod]
    public void ExportedBytesParseBackWithOpsetIrVersionAndDynamicBatchInputAndOutputs()
    {
        using var pipeline = Fit(Cnn);
        var model = Parse(OnnxExporter.ToBytes(pipeline));

        Assert.AreEqual(8L, model.IrVersion);
        Assert.AreEqual(OnnxExporter.IrVersion, model.IrVersion);
        Assert.AreEqual(1, model.OpsetImport.Count);
        Assert.AreEqual("", model.OpsetImport[0].Domain);
        Assert.AreEqual(13L, model.OpsetImport[0].Version);
        Assert.AreEqual("MnistMl", model.ProducerName);
        Assert.AreEqual(OnnxExporter.ProducerVersion, model.ProducerVersion);
        Assert.AreEqual("tiny-cnn", model.Graph.Name);
        Assert.AreEqual("A tiny CNN for the export tests.", model.DocString);

        var input = model.Graph.Input.Single();
        Assert.AreEqual("image", input.Name);
        Assert.AreEqual((int)TensorProto.Types.DataType.Float, input.Type.TensorType.ElemType);
        CollectionAssert.AreEqual(new[] { "N", "1", "12", "12" }, Shape(input).ToArray());

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
        using var pipeline = Fit(Cnn);
        var model = Parse(OnnxExporter.ToBytes(pipeline, new OnnxExportOptions { Metadata = new Dictionary<string, string> { ["author"] = "tests" } }));
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

        CollectionAssert.AreEqual(ClassNames, JsonSerializer.Deserialize<string[]>(metadata["class_names"]));
        Assert.AreEqual($"MnistMl {OnnxExporter.ProducerVersion}", metadata["producer"]);
        Assert.AreEqual("tiny-cnn", metadata["pipeline_name"]);
        Assert.AreEqual("A tiny CNN for the export tests.", metadata["pipeline_description"]);
        Assert.AreEqual("Image", metadata["input_column"]);
        Assert.AreEqual("Image", metadata["feature_column"]);
        Assert.AreEqual("tests", metadata["author"]);
        var steps = metadata["preprocessing"].Split('\n');
        Assert.AreEqual(2, steps.Length, metadata["preprocessing"]);
        StringAssert.StartsWith(steps[0], "Input: 'image' float32 [N, 1, 12, 12]");
        StringAssert.StartsWith(steps[1], "ScalePixels: Image = Image × 0.00392156");

        var e = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ToBytes(pipeline,
            new OnnxExportOptions { Metadata = new Dictionary<string, string> { ["class_names"] = "[]" } }));
        StringAssert.Contains(e.Message, "class_names");
    }

    [TestMethod]
    public void InitializersEqualTheNetworksWeightsUnderTheirStateDictNames()
    {
        using var pipeline = Fit(Cnn);
        var model = Parse(OnnxExporter.ToBytes(pipeline));
        var state = pipeline.Model.Network.state_dict();
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
        using var pipeline = Fit(Cnn);
        var model = Parse(OnnxExporter.ToBytes(pipeline));
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        CollectionAssert.AreEqual(new[]
        {
            "Mul",                                      // ScalePixels
            "Conv", "Relu", "BatchNormalization", "MaxPool", "Flatten",
            "Gemm", "Mul", "Erf", "Add", "Mul", "Mul",  // Dense + exact GELU
            "Gemm", "Softmax", "ArgMax",
        }, ops.ToArray(), string.Join(", ", ops));

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
    public void LearnedNormalizationStatisticsAreExportedAndTheBatchStaysDynamic()
    {
        using var pipeline = Fit(Mlp);
        var model = Parse(OnnxExporter.ToBytes(pipeline));
        var normalizer = pipeline.Transforms.OfType<NormalizingTransformer>().Single();
        Assert.AreEqual(144, normalizer.Offset.Count);

        var sub = Single(model, "Sub");
        var offset = Initializer(model, sub.Input[1]);
        CollectionAssert.AreEqual(new long[] { 1, 144 }, offset.Dims.ToArray());
        CollectionAssert.AreEqual(normalizer.Offset.Select(v => (float)v).ToArray(), Floats(offset));
        var mul = model.Graph.Node.Single(n => n.OpType == "Mul" && n.Input[0] == sub.Output[0]);
        CollectionAssert.AreEqual(normalizer.Scale.Select(v => (float)v).ToArray(), Floats(Initializer(model, mul.Input[1])));

        // Flatten keeps the batch dimension (0 = copy it) rather than fixing it.
        var reshape = Single(model, "Reshape");
        CollectionAssert.AreEqual(new long[] { 0, 144 }, Int64s(Initializer(model, reshape.Input[1])));
        Assert.AreEqual("Features", model.MetadataProps.Single(p => p.Key == "feature_column").Value);
    }

    [TestMethod]
    public void ImagePreprocessingBecomesPadResizeConcatAndChannelNormalization()
    {
        var definition = Cnn with
        {
            Transforms =
            [
                new ScalePixelsStep(), new PadImagesStep { Padding = 2 }, new ResizeImagesStep { Height = 20, Width = 18 },
                new GrayscaleToRgbStep(), new NormalizeImageNetStep(),
            ],
        };
        using var pipeline = Fit(definition);
        var model = Parse(OnnxExporter.ToBytes(pipeline));
        var ops = model.Graph.Node.Select(n => n.OpType).TakeWhile(op => op != "Conv").ToArray();
        CollectionAssert.AreEqual(new[] { "Mul", "Pad", "Shape", "Slice", "Concat", "Resize", "Concat", "Sub", "Mul" }, ops, string.Join(", ", ops));

        var pad = Single(model, "Pad");
        CollectionAssert.AreEqual(new long[] { 0, 0, 2, 2, 0, 0, 2, 2 }, Int64s(Initializer(model, pad.Input[1])));
        var resize = Single(model, "Resize");
        Assert.AreEqual("linear", Attribute(resize, "mode").S.ToStringUtf8());
        Assert.AreEqual("half_pixel", Attribute(resize, "coordinate_transformation_mode").S.ToStringUtf8());
        Assert.AreEqual("", resize.Input[1]);
        Assert.AreEqual("", resize.Input[2]);
        var sizes = model.Graph.Node.Single(n => n.Output.Contains(resize.Input[3]));
        CollectionAssert.AreEqual(new long[] { 20, 18 }, Int64s(Initializer(model, sizes.Input[1])));
        var rgb = model.Graph.Node.Where(n => n.OpType == "Concat").Last();
        Assert.AreEqual(3, rgb.Input.Count);
        Assert.IsTrue(rgb.Input.All(i => i == resize.Output[0]));
        var mean = Initializer(model, Single(model, "Sub").Input[1]);
        CollectionAssert.AreEqual(new long[] { 1, 3, 1, 1 }, mean.Dims.ToArray());
        CollectionAssert.AreEqual(new[] { 0.485f, 0.456f, 0.406f }, Floats(mean));
        CollectionAssert.AreEqual(new[] { "N", "1", "12", "12" }, Shape(model.Graph.Input.Single()).ToArray());
    }

    [TestMethod]
    public void Uint8InputIsCastToFloatAndTheInputCanBeRenamed()
    {
        using var pipeline = Fit(Cnn);
        var model = Parse(OnnxExporter.ToBytes(pipeline, new OnnxExportOptions { InputType = OnnxInputType.UInt8, InputName = "pixels" }));
        var input = model.Graph.Input.Single();
        Assert.AreEqual("pixels", input.Name);
        Assert.AreEqual((int)TensorProto.Types.DataType.Uint8, input.Type.TensorType.ElemType);
        var cast = model.Graph.Node[0];
        Assert.AreEqual("Cast", cast.OpType);
        CollectionAssert.AreEqual(new[] { "pixels" }, cast.Input.ToArray());
        Assert.AreEqual((long)TensorProto.Types.DataType.Float, Attribute(cast, "to").I);

        var e = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.ToBytes(pipeline, new OnnxExportOptions { InputName = "label" }));
        StringAssert.Contains(e.Message, "'label'");
    }

    [TestMethod]
    public void HogFeaturesAreExported()
    {
        var definition = Mlp with
        {
            Transforms =
            [
                new ScalePixelsStep(),
                new HogStep { Output = "Features", Input = "Image", Orientations = 8, PixelsPerCell = [4, 4], CellsPerBlock = [2, 2] },
            ],
        };
        using var pipeline = Fit(definition);
        var model = Parse(OnnxExporter.ToBytes(pipeline));
        var features = model.Graph.Node.Single(n => n.Output.Contains("Features/ExtractHogFeatures"));
        Assert.AreEqual("Reshape", features.OpType);
        // 3×3 cells of 4×4 pixels, 2×2 block positions of 2×2 cells, 8 bins: 128 features, as the network reads.
        Assert.AreEqual(128L, Initializer(model, "dense.weight").Dims[1]);
        StringAssert.Contains(model.MetadataProps.Single(p => p.Key == "preprocessing").Value, "ExtractHogFeatures: Features = HOG of Image (orientations 8");
    }

    [TestMethod]
    public void ExportWritesTheFileAtomically()
    {
        using var pipeline = Fit(Mlp);
        var directory = FixtureFiles.TempDirectory();
        var path = Path.Combine(directory, "model.onnx");
        File.WriteAllText(path, "an older file");
        OnnxExporter.Export(pipeline, path);
        CollectionAssert.AreEqual(OnnxExporter.ToBytes(pipeline), File.ReadAllBytes(path));
        Assert.AreEqual("tiny-mlp", Parse(File.ReadAllBytes(path)).Graph.Name);
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(directory), "no temporary file is left behind");
    }

    [TestMethod]
    public void AnUnsupportedTransformOnTheFeaturePathThrowsBeforeAnyFileIsWritten()
    {
        using var pipeline = Fit(Mlp, new SquaringTransformer("Features", "Features"));
        var directory = FixtureFiles.TempDirectory();
        var path = Path.Combine(directory, "model.onnx");
        var e = Assert.ThrowsExactly<NotSupportedException>(() => OnnxExporter.Export(pipeline, path));
        StringAssert.StartsWith(e.Message, "SquaringTransformer cannot be exported to ONNX");
        StringAssert.Contains(e.Message, "transform 3");
        StringAssert.Contains(e.Message, "'Features'");
        Assert.IsFalse(File.Exists(path));
        Assert.AreEqual(0, Directory.GetFileSystemEntries(directory).Length);

        // An existing file is left as it was.
        File.WriteAllText(path, "an older file");
        Assert.ThrowsExactly<NotSupportedException>(() => OnnxExporter.Export(pipeline, path));
        Assert.AreEqual("an older file", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(directory));
    }

    [TestMethod]
    public void AnUnsupportedTransformOffTheFeaturePathIsIgnored()
    {
        using var pipeline = Fit(Mlp, new SquaringTransformer("Squares", "Image"));
        var model = Parse(OnnxExporter.ToBytes(pipeline));
        CollectionAssert.AreEqual(new[] { "Mul", "Reshape", "Sub", "Mul", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax" },
            model.Graph.Node.Select(n => n.OpType).ToArray());
    }

    /// <summary>A transformer the exporter does not know: x² of a column, as float32.</summary>
    private sealed class SquaringTransformer(string output, string input) : MappingTransformer
    {
        public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema) =>
            [new(new(output, new ColumnType(ScalarType.Float32, inputSchema[input].Type.Dimensions)), [input], x =>
            {
                using var values = x[0].to_type(ScalarType.Float32);
                return values * values;
            })];
    }
}
