using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using MnistMl.Data;
using MnistMl.Pipelines;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Transforms;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Onnx;

/// <summary>
/// Writes the fitted transforms that compute the network's feature column as ONNX nodes, from the one raw column
/// they start from (the graph input). Columns are followed by name through the transforms; a column's nodes are
/// written only when the feature column needs them, so transforms of other columns (labels, unused features) may be
/// anything. A needed transform without an ONNX form makes <see cref="Write"/> throw a
/// <see cref="NotSupportedException"/> naming it.
/// </summary>
internal sealed class OnnxPreprocessingWriter(OnnxGraphBuilder g, OnnxExportOptions options)
{
    /// <summary>A column of the data as it flows: its type, and its ONNX value (written on first use, or the reason it cannot be).</summary>
    private sealed record Column(ColumnType Type, Lazy<string> Value);

    private readonly Dictionary<string, Column> columns = new(StringComparer.Ordinal);
    private readonly List<string> steps = [];

    /// <summary>The raw column the graph input carries (set by <see cref="Write"/>).</summary>
    public DataViewSchema.Column? InputColumn { get; private set; }

    /// <summary>The graph input's name.</summary>
    public string? InputName { get; private set; }

    /// <summary>What the written nodes do, one line per transform, in order.</summary>
    public IReadOnlyList<string> Steps => steps;

    /// <summary>Writes the nodes computing <paramref name="featureColumn"/>; returns its value (float32 [N, …]).</summary>
    public string Write(TrainedPipeline pipeline, string featureColumn)
    {
        foreach (var column in pipeline.InputSchema) columns[column.Name] = new(column.Type, new(() => RawInput(column)));
        var schema = pipeline.InputSchema;
        var specs = pipeline.Definition.Transforms;
        for (int i = 0; i < pipeline.Transforms.Count; i++)
        {
            string step = i < specs.Count && specs.Count == pipeline.Transforms.Count ? StepName(specs[i]) : StepName(pipeline.Transforms[i]);
            schema = Apply(pipeline.Transforms[i], schema, $"transform {i}", step);
        }
        if (!columns.TryGetValue(featureColumn, out var features))
            throw new ArgumentException($"The pipeline's transforms do not produce the feature column '{featureColumn}'.", nameof(featureColumn));
        var network = pipeline.Model.Network;
        if (!features.Type.Dimensions.SequenceEqual(network.InputShape))
            throw new ArgumentException($"The pipeline's feature column '{featureColumn}' is {features.Type}; its network reads rows of [{string.Join(", ", network.InputShape)}].", nameof(pipeline));
        return features.Value.Value;
    }

    private DataViewSchema Apply(ITransformer transformer, DataViewSchema schema, string where, string step)
    {
        var output = transformer.GetOutputSchema(schema);
        switch (transformer)
        {
            case CacheTransformer or ColumnSelectingTransformer:
                break;
            case IEnumerable<ITransformer> chain:
                foreach (var inner in chain) schema = Apply(inner, schema, where, StepName(inner));
                break;
            case ColumnCopyingTransformer copy:
                columns[copy.OutputColumnName] = columns[copy.InputColumnName];
                break;
            case PixelScalingTransformer scale:
                Derive(output, scale.InputColumnName, scale.OutputColumnName, (x, name, inputType) =>
                {
                    Describe($"ScalePixels: {name} = {scale.InputColumnName} × {Number(scale.Factor)}");
                    return g.Node("Mul", [x, g.Scalar($"{name}/scale_factor", (float)scale.Factor)], $"{name}/ScalePixels");
                });
                break;
            case NormalizingTransformer normalize:
                Derive(output, normalize.InputColumnName, normalize.OutputColumnName, (x, name, inputType) =>
                {
                    long[] statShape = normalize.Offset.Count == 1 ? [1] : [1, .. inputType.Dimensions];
                    string scope = normalize.Offset.Count == 1 ? "global" : "per element";
                    Describe($"Normalize ({normalize.Kind}, {scope}): {name} = ({normalize.InputColumnName} − offset) × scale with the statistics learned in Fit");
                    var offset = g.Floats($"{name}/normalize_offset", normalize.Offset.Select(v => (float)v).ToArray(), statShape);
                    var factor = g.Floats($"{name}/normalize_scale", normalize.Scale.Select(v => (float)v).ToArray(), statShape);
                    var shifted = g.Node("Sub", [x, offset], $"{name}/normalize_shifted");
                    return g.Node("Mul", [shifted, factor], $"{name}/Normalize");
                });
                break;
            case ImagePaddingTransformer pad:
                Derive(output, pad.InputColumnName, pad.OutputColumnName, (x, name, inputType) =>
                {
                    // Integer columns are padded in their own type by libtorch: a fractional value is truncated.
                    double value = inputType.ElementType is ScalarType.Float32 or ScalarType.Float64 ? pad.Value : Math.Truncate(pad.Value);
                    Describe($"PadImages: {name} = {pad.InputColumnName} padded with {Number(value)} (top {pad.Top}, bottom {pad.Bottom}, left {pad.Left}, right {pad.Right})");
                    var pads = g.Int64s($"{name}/pads", [0, 0, pad.Top, pad.Left, 0, 0, pad.Bottom, pad.Right]);
                    return g.Node("Pad", [x, pads, g.Scalar($"{name}/pad_value", (float)value)], $"{name}/PadImages", OnnxAttributes.String("mode", "constant"));
                });
                break;
            case ImageResizingTransformer resize:
                Derive(output, resize.InputColumnName, resize.OutputColumnName, (x, name, inputType) =>
                {
                    Describe($"ResizeImages: {name} = {resize.InputColumnName} resized to {resize.Height}×{resize.Width} (bilinear, half-pixel centres: PyTorch's align_corners=False)");
                    // sizes = [N, C] of the input, then the new height and width: the batch stays dynamic.
                    var shape = g.Node("Shape", [x], $"{name}/resize_input_shape");
                    var batchAndChannels = g.Node("Slice", [shape, g.Int64s($"{name}/resize_slice_start", [0]), g.Int64s($"{name}/resize_slice_end", [2])], $"{name}/resize_batch_channels");
                    var sizes = g.Node("Concat", [batchAndChannels, g.Int64s($"{name}/resize_height_width", [resize.Height, resize.Width])], $"{name}/resize_sizes", OnnxAttributes.Int("axis", 0));
                    return g.Node("Resize", [x, "", "", sizes], $"{name}/ResizeImages",
                        OnnxAttributes.String("mode", "linear"), OnnxAttributes.String("coordinate_transformation_mode", "half_pixel"));
                });
                break;
            case GrayscaleToRgbTransformer rgb:
                Derive(output, rgb.InputColumnName, rgb.OutputColumnName, (x, name, inputType) =>
                {
                    Describe($"ConvertGrayscaleToRgb: {name} = {rgb.InputColumnName}'s channel repeated 3 times");
                    return g.Node("Concat", [x, x, x], $"{name}/ConvertGrayscaleToRgb", OnnxAttributes.Int("axis", 1));
                });
                break;
            case ChannelNormalizingTransformer channels:
                Derive(output, channels.InputColumnName, channels.OutputColumnName, (x, name, inputType) =>
                {
                    Describe($"NormalizeChannels: {name} = ({channels.InputColumnName} − mean[c]) / std[c], mean [{string.Join(", ", channels.Mean.Select(Number))}], std [{string.Join(", ", channels.Std.Select(Number))}]");
                    long[] statShape = [1, channels.Mean.Count, 1, 1];
                    // As the transformer: multiplied by the float32 inverse of std.
                    var mean = g.Floats($"{name}/channel_mean", channels.Mean.Select(v => (float)v).ToArray(), statShape);
                    var inverseStd = g.Floats($"{name}/channel_inverse_std", channels.Std.Select(v => (float)(1 / v)).ToArray(), statShape);
                    var centered = g.Node("Sub", [x, mean], $"{name}/channel_centered");
                    return g.Node("Mul", [centered, inverseStd], $"{name}/NormalizeChannels");
                });
                break;
            case ReshapeTransformer reshape:
                Derive(output, reshape.InputColumnName, reshape.OutputColumnName, (x, name, inputType) =>
                {
                    Describe($"{step}: {name} = {reshape.InputColumnName} reshaped to [{string.Join(", ", reshape.Dimensions)}] per row");
                    // 0 keeps the input's (dynamic) batch size.
                    return g.Node("Reshape", [x, g.Int64s($"{name}/shape", [0, .. reshape.Dimensions])], $"{name}/{step}");
                });
                break;
            case ColumnConcatenatingTransformer concat:
            {
                var inputs = concat.InputColumnNames.Select(n => columns[n]).ToArray();
                columns[concat.OutputColumnName] = new(output[concat.OutputColumnName].Type, new(() =>
                {
                    string name = concat.OutputColumnName;
                    var parts = inputs.Select((c, k) => g.Node("Reshape", [c.Value.Value, g.Int64s($"{name}/concat_shape", [0, -1])], $"{name}/concat_part{k}")).ToArray();
                    Describe($"Concatenate: {name} = [{string.Join(", ", concat.InputColumnNames)}] flattened and joined");
                    return g.Node("Concat", parts, $"{name}/Concatenate", OnnxAttributes.Int("axis", 1));
                }));
                break;
            }
            case HogFeaturesTransformer hog:
                Derive(output, hog.InputColumnName, hog.OutputColumnName, (x, name, inputType) =>
                {
                    var o = hog.Options;
                    Describe($"ExtractHogFeatures: {name} = HOG of {hog.InputColumnName} (orientations {o.Orientations}, pixels per cell {o.PixelsPerCell.Height}×{o.PixelsPerCell.Width}, " +
                        $"cells per block {o.CellsPerBlock.Height}×{o.CellsPerBlock.Width}, block norm {o.BlockNorm}{(o.TransformSqrt ? ", square root of the pixels first" : "")})");
                    return OnnxHogWriter.Write(g, o, x, checked((int)inputType.Dimensions[1]), checked((int)inputType.Dimensions[2]), name);
                });
                break;
            case MappingTransformer mapping:
                foreach (var derived in mapping.DeriveColumns(schema))
                    Unsupported(derived.Column.Name, output, $"{step} cannot be exported to ONNX: {where} ({transformer.GetType().Name}) computes '{derived.Column.Name}', which the network's features need, and has no ONNX form");
                break;
            default:
                // Unknown transformers may change any column they pass on.
                foreach (var column in output)
                    Unsupported(column.Name, output, $"{step} cannot be exported to ONNX: {where} ({transformer.GetType().Name}) passes on '{column.Name}', which the network's features need, and has no ONNX form");
                break;
        }
        // Columns the transform hid are gone; a column it added that is not known here cannot be exported.
        foreach (var name in columns.Keys.Where(n => !output.Contains(n)).ToList()) columns.Remove(name);
        foreach (var column in output.Where(c => !columns.ContainsKey(c.Name)))
            Unsupported(column.Name, output, $"{step} cannot be exported to ONNX: {where} ({transformer.GetType().Name}) adds '{column.Name}', which the network's features need, in a way the exporter does not know");
        return output;
    }

    /// <summary>
    /// Registers <paramref name="outputName"/> as computed from <paramref name="inputName"/> (as it is now: a later
    /// transform may replace it) by <paramref name="write"/> (input value, output name, input type → output value).
    /// </summary>
    private void Derive(DataViewSchema output, string inputName, string outputName, Func<string, string, ColumnType, string> write)
    {
        var input = columns[inputName];
        columns[outputName] = new(output[outputName].Type, new(() => write(input.Value.Value, outputName, input.Type)));
    }

    private void Unsupported(string name, DataViewSchema output, string reason) =>
        columns[name] = new(output[name].Type, new(() => throw new NotSupportedException($"{reason}.")));

    private void Describe(string line) => steps.Add(line);

    /// <summary>The graph input for a raw column (float32, or uint8 cast to float32).</summary>
    private string RawInput(DataViewSchema.Column column)
    {
        if (InputColumn is { } other)
            throw new NotSupportedException($"The network's features are computed from the raw columns '{other.Name}' and '{column.Name}'; the ONNX export has a single input.");
        if (column.Type.IsKey || column.Type.ElementType == ScalarType.Bool)
            throw new NotSupportedException($"The network's features are computed from the raw column '{column.Name}' ({column.Type}); only numeric columns can be the ONNX input.");
        InputColumn = column;
        InputName = g.ExactName(options.InputName ?? column.Name.ToLowerInvariant());
        if (options.InputType == OnnxInputType.UInt8)
        {
            g.Input(InputName, DataType.Uint8, column.Type.Dimensions);
            Describe($"Input: '{InputName}' uint8 [N, {string.Join(", ", column.Type.Dimensions)}] (raw column '{column.Name}'), cast to float32");
            return g.Node("Cast", [InputName], $"{InputName}/float", OnnxAttributes.Int("to", (long)DataType.Float));
        }
        g.Input(InputName, DataType.Float, column.Type.Dimensions);
        Describe($"Input: '{InputName}' float32 [N, {string.Join(", ", column.Type.Dimensions)}] (raw column '{column.Name}', {column.Type} in the pipeline)");
        return InputName;
    }

    /// <summary>The pipeline-file name of a step ("ScalePixels", "Flatten", "ExtractHogFeatures", …).</summary>
    private static string StepName(TransformSpec spec) =>
        typeof(TransformSpec).GetCustomAttributes<JsonDerivedTypeAttribute>().FirstOrDefault(a => a.DerivedType == spec.GetType())?.TypeDiscriminator as string
        ?? spec.GetType().Name;

    private static string StepName(ITransformer transformer) => transformer switch
    {
        PixelScalingTransformer => "ScalePixels",
        NormalizingTransformer => "Normalize",
        HogFeaturesTransformer => "ExtractHogFeatures",
        ImagePaddingTransformer => "PadImages",
        ImageResizingTransformer => "ResizeImages",
        GrayscaleToRgbTransformer => "ConvertGrayscaleToRgb",
        ChannelNormalizingTransformer => "NormalizeChannels",
        ReshapeTransformer => "Reshape",
        ColumnConcatenatingTransformer => "Concatenate",
        _ => transformer.GetType().Name,
    };

    private static string Number(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
