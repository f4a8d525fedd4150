using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MnistMl.Onnx;
using MnistMl.Onnx.Proto;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Transfer;

/// <summary>
/// A pretrained image backbone in an ONNX file (MobileNetV2 as torchvision or the ONNX model zoo write it, or as
/// MnistMl exports it), opened for transfer learning: its image input (NCHW, 3 channels), the feature map before
/// the classifier, and the normalization its inputs need. ML.NET's <c>ApplyOnnxModel</c> only serves graph
/// outputs, so <see cref="FeatureModel"/> rewrites the graph into one whose single output is the globally
/// average-pooled feature vector — the classifier and anything else the features do not need are cut off.
/// </summary>
/// <remarks>
/// The feature map is found by inspection: the input of the last global average pooling (GlobalAveragePool, or
/// ReduceMean over the two spatial axes), which in MobileNetV2 is the 1280-channel output of the last 1×1
/// convolution. <see cref="BackboneOptions.FeatureNode"/> names it instead (a node or a tensor). A graph without a
/// depthwise convolution is not taken for a MobileNetV2-like backbone.
/// </remarks>
public sealed class OnnxBackbone
{
    /// <summary>The metadata keys MnistMl writes into the backbones it exports, and reads back here.</summary>
    public const string MeanKey = "normalization_mean", StdKey = "normalization_std", ProvenanceKey = "provenance";

    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    private readonly ModelProto model;

    private OnnxBackbone(string source, ModelProto model, string inputName, int height, int width, string featureTensor, bool featureIsMap,
        float[] mean, float[] std, int featureCount, bool normalizationFromFile)
    {
        Source = source;
        this.model = model;
        InputName = inputName;
        InputHeight = height;
        InputWidth = width;
        FeatureTensor = featureTensor;
        FeatureIsMap = featureIsMap;
        Mean = mean;
        Std = std;
        FeatureCount = featureCount;
        NormalizationFromFile = normalizationFromFile;
    }

    /// <summary>The file (or description) the backbone was read from, for messages.</summary>
    public string Source { get; }

    /// <summary>The graph's image input.</summary>
    public string InputName { get; }

    public int InputHeight { get; }
    public int InputWidth { get; }

    /// <summary>The tensor the features are taken from (before pooling when <see cref="FeatureIsMap"/>).</summary>
    public string FeatureTensor { get; }

    /// <summary>Whether <see cref="FeatureTensor"/> is a [N, C, H, W] map that <see cref="FeatureModel"/> pools, or already [N, C].</summary>
    public bool FeatureIsMap { get; }

    /// <summary>Length of the pooled feature vector (1280 for MobileNetV2 with a width multiplier ≤ 1).</summary>
    public int FeatureCount { get; }

    /// <summary>Per-channel mean and standard deviation of inputs in [0, 1] (from the file's metadata, the options, or ImageNet's).</summary>
    public IReadOnlyList<float> Mean { get; }

    public IReadOnlyList<float> Std { get; }

    /// <summary>Whether <see cref="Mean"/> and <see cref="Std"/> were written in the file.</summary>
    public bool NormalizationFromFile { get; }

    /// <summary>Weights (initializer elements) the features are computed with: all frozen, as Keras counts a non-trainable base model.</summary>
    public long ParameterCount
    {
        get
        {
            var (nodes, initializers) = FeatureGraph();
            var used = nodes.SelectMany(n => n.Input).ToHashSet();
            return initializers.Values.Where(i => used.Contains(i.Name) && IsWeight(i)).Sum(Elements);
        }
    }

    /// <summary>A float tensor of rank 1 or more: a weight or statistic, not a scalar operand (Clip's bounds) or a shape.</summary>
    private static bool IsWeight(TensorProto tensor) => tensor.DataType == (int)DataType.Float && tensor.Dims.Count > 0;

    private static long Elements(TensorProto tensor) => tensor.Dims.Aggregate(1L, (a, b) => a * b);

    /// <summary>What a cut feature model (<see cref="FeatureModel"/>) holds: its input shape [3, H, W], its feature count, its weights.</summary>
    public static (long[] InputShape, long FeatureCount, long Parameters) DescribeFeatureModel(byte[] featureModel)
    {
        var graph = ModelProto.Parser.ParseFrom(featureModel).Graph;
        long[] Dims(ValueInfoProto v) => v.Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();
        return (Dims(graph.Input[0]), Dims(graph.Output[0]).LastOrDefault(), graph.Initializer.Where(IsWeight).Sum(Elements));
    }

    /// <summary>The file's metadata_props (provenance, class names …).</summary>
    public IReadOnlyDictionary<string, string> Metadata => model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>The nodes that compute the features, in the file's (execution) order, and the initializers by name.</summary>
    internal (IReadOnlyList<NodeProto> Nodes, IReadOnlyDictionary<string, TensorProto> Initializers) FeatureGraph()
    {
        var needed = Needed(model.Graph, FeatureTensor);
        return (model.Graph.Node.Where(n => n.Output.Any(needed.Contains)).ToList(), model.Graph.Initializer.ToDictionary(i => i.Name));
    }

    /// <summary>Opens <paramref name="path"/>; errors name the file and say what is missing.</summary>
    public static OnnxBackbone Load(string path, BackboneOptions? options = null) => Load(path, options, sizeIfUnfixed: null);

    /// <summary>Opens <paramref name="path"/> at its own input size, or at <paramref name="sizeIfUnfixed"/> where the file leaves it open (for reading weights).</summary>
    internal static OnnxBackbone Load(string path, BackboneOptions? options, int? sizeIfUnfixed)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Backbone '{path}' does not exist.", path);
        return Load(File.ReadAllBytes(path), path, options, sizeIfUnfixed);
    }

    /// <summary>Opens an ONNX model held in memory; <paramref name="source"/> names it in errors.</summary>
    public static OnnxBackbone Load(byte[] onnx, string source, BackboneOptions? options = null) => Load(onnx, source, options, sizeIfUnfixed: null);

    private static OnnxBackbone Load(byte[] onnx, string source, BackboneOptions? options, int? sizeIfUnfixed)
    {
        options ??= new BackboneOptions();
        options.Validate();
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"Backbone '{source}' is not an ONNX model: {e.Message}", e);
        }
        var graph = model.Graph ?? throw new InvalidDataException($"Backbone '{source}' has no graph.");
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
            throw new InvalidDataException($"Backbone '{source}' has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); a backbone has one image input [N, 3, H, W].");
        var input = inputs[0];
        var (height, width) = InputSize(input, source, options, sizeIfUnfixed);

        if (!graph.Node.Any(n => n.OpType == "Conv" && Attribute(n, "group") is > 1))
            throw new InvalidDataException($"Backbone '{source}' has no depthwise (grouped) convolution: it is not a MobileNetV2-like graph.");
        string feature = FindFeatures(graph, source, options.FeatureNode);

        var (mean, std, fromFile) = Normalization(model, source, options);
        var probe = new OnnxBackbone(source, model, input.Name, height, width, feature, featureIsMap: false, mean, std, featureCount: 0, fromFile);
        var dims = probe.ProbeFeatureShape();
        if (dims.Length is not (2 or 4))
            throw new InvalidDataException($"Backbone '{source}': feature tensor '{feature}' is [{string.Join(", ", dims)}]; features are a map [N, C, H, W] or a vector [N, C].");
        return new OnnxBackbone(source, model, input.Name, height, width, feature, featureIsMap: dims.Length == 4, mean, std, dims[1], fromFile);
    }

    /// <summary>
    /// The ONNX model ML.NET's ApplyOnnxModel runs per row: input <paramref name="inputColumnName"/> of exactly
    /// [3, H, W] (one row, as ApplyOnnxModel feeds a vector column), output <paramref name="outputColumnName"/> of
    /// [<see cref="FeatureCount"/>] (global average pool of the feature map); only the nodes the features need.
    /// </summary>
    public byte[] FeatureModel(string inputColumnName, string outputColumnName) =>
        BuildFeatureModel(inputColumnName, outputColumnName, FeatureCount, batch: false).ToByteArray();

    /// <summary>The same cut, for a batch: input [N, 3, H, W] under the graph's input name, output "features" [N, C].</summary>
    public byte[] BatchFeatureModel() => BuildFeatureModel(InputName, "features", FeatureCount, batch: true).ToByteArray();

    private ModelProto BuildFeatureModel(string inputName, string outputName, int featureCount, bool batch)
    {
        if (inputName == outputName) throw new ArgumentException($"The backbone's input and output columns must differ (both '{inputName}').");
        var source = model.Graph;
        var (nodes, initializers) = FeatureGraph();
        var g = new OnnxGraphBuilder($"{source.Name} features");
        // The backbone's own names stay as they are; what is added here gets names they do not use.
        foreach (var name in source.Node.SelectMany(n => n.Output).Concat(source.Initializer.Select(i => i.Name))) g.UniqueName(name);
        foreach (var name in new[] { inputName, outputName })
            if (name != InputName && !g.IsFree(name))
                throw new ArgumentException($"Backbone '{Source}' already has a tensor named '{name}'; choose another column name.");
        long[] imageShape = [3, InputHeight, InputWidth];
        if (batch)
        {
            if (inputName != InputName) throw new ArgumentException($"A batch feature model keeps the backbone's input name '{InputName}'.");
            g.Input(g.ExactName(InputName), DataType.Float, imageShape);
        }
        else
        {
            if (inputName == InputName) throw new ArgumentException($"The input column may not be named as the backbone's own input '{InputName}'.");
            g.RowInput(g.ExactName(inputName), DataType.Float, imageShape);
            // ApplyOnnxModel feeds one row; the backbone's nodes read a batch of one under its own input name.
            g.Node("Unsqueeze", [inputName, g.Int64s("row_axis", [0])], [g.ExactName(InputName)]);
        }

        foreach (var node in nodes) g.Graph.Node.Add(node.Clone());
        var used = nodes.SelectMany(n => n.Input).ToHashSet();
        foreach (var initializer in initializers.Values.Where(i => used.Contains(i.Name))) g.Graph.Initializer.Add(initializer.Clone());

        g.ExactName(outputName);
        if (featureCount == 0)
        {
            // The probe: the feature tensor as it is, of a shape ONNX Runtime reports.
            g.Node("Identity", [FeatureTensor], [outputName]);
            g.Graph.Output.Add(new ValueInfoProto { Name = outputName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float } } });
        }
        else
        {
            string pooled = FeatureIsMap ? g.Node("GlobalAveragePool", [FeatureTensor], "features/GlobalAveragePool") : FeatureTensor;
            if (batch)
            {
                g.Node("Flatten", [pooled], [outputName], OnnxAttributes.Int("axis", 1));
                g.Output(outputName, DataType.Float, [featureCount]);
            }
            else
            {
                g.Node("Reshape", [pooled, g.Int64s("feature_shape", [-1])], [outputName]);
                g.RowOutput(outputName, DataType.Float, [featureCount]);
            }
        }

        var result = new ModelProto
        {
            IrVersion = Math.Max(model.IrVersion, 4),
            ProducerName = OnnxModels.ProducerName,
            ProducerVersion = OnnxModels.ProducerVersion,
            ModelVersion = 1,
            DocString = $"The pooled features of backbone '{Path.GetFileName(Source)}' (tensor '{FeatureTensor}'), cut by MnistMl.",
            Graph = g.Graph,
        };
        result.OpsetImport.AddRange(model.OpsetImport.Select(o => o.Clone()));
        result.MetadataProps.AddRange(model.MetadataProps.Select(p => p.Clone()));
        return result;
    }

    /// <summary>Runs the cut graph once on zeros to learn the feature tensor's shape (shapes are not inferred here).</summary>
    private int[] ProbeFeatureShape()
    {
        var probe = BuildFeatureModel(InputName, "features", featureCount: 0, batch: true).ToByteArray();
        using var session = OnnxSessions.Open(probe, Source);
        var zeros = new DenseTensor<float>([1, 3, InputHeight, InputWidth]);
        try
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(InputName, zeros)]);
            return results.First().AsTensor<float>().Dimensions.ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"Backbone '{Source}' cannot compute feature tensor '{FeatureTensor}' for a [1, 3, {InputHeight}, {InputWidth}] input: {e.Message}", e);
        }
    }

    private static (int Height, int Width) InputSize(ValueInfoProto input, string source, BackboneOptions options, int? sizeIfUnfixed)
    {
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (input.Type?.TensorType is { } tensor && tensor.ElemType != (int)DataType.Float)
            throw new InvalidDataException($"Backbone '{source}': input '{input.Name}' is of ONNX element type {tensor.ElemType}; a backbone takes float images.");
        if (dims is null || dims.Count != 4)
            throw new InvalidDataException($"Backbone '{source}': input '{input.Name}' has {(dims is null ? "no shape" : $"rank {dims.Count}")}; a backbone takes [N, 3, H, W] images.");
        if (dims[1].DimValue is > 0 and var channels && channels != 3)
            throw new InvalidDataException($"Backbone '{source}': input '{input.Name}' has {channels} channels; a backbone takes RGB [N, 3, H, W] images (channels first).");
        int? fileHeight = dims[2].DimValue > 0 ? (int)dims[2].DimValue : null, fileWidth = dims[3].DimValue > 0 ? (int)dims[3].DimValue : null;
        if (options.InputSize is { } size)
        {
            if ((fileHeight is { } h && h != size) || (fileWidth is { } w && w != size))
                throw new ArgumentException($"Backbone '{source}' takes {fileHeight}×{fileWidth} images; InputSize {size} contradicts it.");
            return (size, size);
        }
        if ((fileHeight is null || fileWidth is null) && sizeIfUnfixed is { } fallback) return (fileHeight ?? fallback, fileWidth ?? fallback);
        if (fileHeight is null || fileWidth is null)
            throw new ArgumentException($"Backbone '{source}' does not fix its input size (input '{input.Name}'); set BackboneOptions.InputSize.");
        return (fileHeight.Value, fileWidth.Value);
    }

    private static string FindFeatures(GraphProto graph, string source, string? featureNode)
    {
        if (featureNode is not null)
        {
            var node = graph.Node.FirstOrDefault(n => n.Name == featureNode);
            string? tensor = node?.Output.FirstOrDefault() ?? (graph.Node.Any(n => n.Output.Contains(featureNode)) ? featureNode : null);
            if (tensor is null)
                throw new ArgumentException($"Backbone '{source}' has no node or tensor named '{featureNode}' (its last nodes: {string.Join(", ", graph.Node.TakeLast(5).Select(n => $"{n.Name} ({n.OpType})"))}).");
            return tensor;
        }
        var pool = graph.Node.LastOrDefault(IsGlobalAveragePool)
            ?? throw new InvalidDataException($"Backbone '{source}' has no global average pooling, so the feature map before its classifier cannot be found; name it with BackboneOptions.FeatureNode.");
        return pool.Input[0];
    }

    private static bool IsGlobalAveragePool(NodeProto node)
    {
        if (node.OpType == "GlobalAveragePool") return true;
        if (node.OpType != "ReduceMean") return false;
        var axes = node.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints;
        return axes is { Count: 2 } && (axes.OrderBy(a => a).SequenceEqual([2L, 3L]) || axes.OrderBy(a => a).SequenceEqual([-2L, -1L]));
    }

    /// <summary>The tensors <paramref name="target"/> depends on, itself included.</summary>
    private static HashSet<string> Needed(GraphProto graph, string target)
    {
        var producer = new Dictionary<string, NodeProto>();
        foreach (var node in graph.Node)
            foreach (var output in node.Output)
                producer[output] = node;
        var needed = new HashSet<string>();
        var pending = new Stack<string>([target]);
        while (pending.TryPop(out var tensor))
        {
            if (!needed.Add(tensor) || !producer.TryGetValue(tensor, out var node)) continue;
            foreach (var input in node.Input.Where(i => i.Length > 0)) pending.Push(input);
        }
        return needed;
    }

    private static (float[] Mean, float[] Std, bool FromFile) Normalization(ModelProto model, string source, BackboneOptions options)
    {
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        float[]? mean = options.Mean?.ToArray(), std = options.Std?.ToArray();
        bool fromFile = false;
        if (mean is null && metadata.TryGetValue(MeanKey, out var m)) { mean = ParseTriple(m, MeanKey, source); fromFile = true; }
        if (std is null && metadata.TryGetValue(StdKey, out var s)) { std = ParseTriple(s, StdKey, source); fromFile = true; }
        return (mean ?? ImageNetMean, std ?? ImageNetStd, fromFile);
    }

    private static float[] ParseTriple(string json, string key, string source)
    {
        float[]? values;
        try
        {
            values = JsonSerializer.Deserialize<float[]>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Backbone '{source}': metadata '{key}' is not a JSON array of numbers: {e.Message}", e);
        }
        if (values is not { Length: 3 } || values.Any(v => !float.IsFinite(v)))
            throw new InvalidDataException($"Backbone '{source}': metadata '{key}' needs three finite numbers, one per channel; it is {json}.");
        return values;
    }

    private static long? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileName(Source)}: input '{InputName}' [3, {InputHeight}, {InputWidth}], features '{FeatureTensor}' → [{FeatureCount}]");
}
