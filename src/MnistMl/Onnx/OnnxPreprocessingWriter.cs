using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MnistMl.Transforms;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Onnx;

/// <summary>
/// Writes the fitted transforms that compute a model's feature column as ONNX nodes, from the one raw column they
/// start from (the graph input). Columns are followed by name through the transformers: MnistMl's image transforms
/// (each writes its own nodes), ML.NET's affine normalizers (NormalizeMinMax, NormalizeMeanVariance, … : their fitted
/// scale and offset from <c>GetNormalizerModelParameters</c>), ML.NET's column copies, drops and selections, and
/// chains of these. A column's nodes are written only when the feature column needs them, so transforms of other
/// columns may be anything; a needed transform without an ONNX form makes <see cref="Write"/> throw a
/// <see cref="NotSupportedException"/> naming it, before anything is written.
/// </summary>
internal sealed class OnnxPreprocessingWriter(OnnxGraphBuilder g, OnnxExportOptions options)
{
    /// <summary>A column of the data as it flows: its type, and its ONNX value (written on first use, or the reason it cannot be).</summary>
    private sealed record Column(DataViewType Type, Lazy<string> Value);

    private readonly Dictionary<string, Column> columns = new(StringComparer.Ordinal);
    private readonly List<string> steps = [];
    private int index;

    /// <summary>The raw column the graph input carries (set by <see cref="Write"/>).</summary>
    public DataViewSchema.Column? InputColumn { get; private set; }

    /// <summary>The graph input's name.</summary>
    public string? InputName { get; private set; }

    /// <summary>What the written nodes do, one line per transform, in order.</summary>
    public IReadOnlyList<string> Steps => steps;

    /// <summary>
    /// Follows <paramref name="transformers"/> from <paramref name="inputSchema"/>; returns the schema they give and
    /// the value (float32 [N, …]) of <paramref name="featureColumn"/> in it, written on demand.
    /// </summary>
    public (DataViewSchema Schema, Func<string> Features) Write(IEnumerable<ITransformer> transformers, DataViewSchema inputSchema, string featureColumn)
    {
        foreach (var column in inputSchema) columns[column.Name] = new(column.Type, new(() => RawInput(column)));
        var schema = inputSchema;
        foreach (var transformer in transformers) schema = Apply(transformer, schema);
        if (!columns.TryGetValue(featureColumn, out var features))
            throw new ArgumentException($"The model's transforms do not produce the feature column '{featureColumn}'.", nameof(featureColumn));
        return (schema, () => features.Value.Value);
    }

    private DataViewSchema Apply(ITransformer transformer, DataViewSchema schema)
    {
        var output = transformer.GetOutputSchema(schema);
        string where = $"transform {index++} ({transformer.GetType().Name})";
        switch (transformer)
        {
            case IEnumerable<ITransformer> chain:
                index--;
                foreach (var inner in chain) schema = Apply(inner, schema);
                return output;
            case ImageVectorTransformer image:
                Derive(output, image.InputColumnName, image.OutputColumnName, x =>
                {
                    steps.Add($"{image.TransformName}: {image.Description}");
                    return image.WriteOnnx(g, x, image.OutputColumnName);
                });
                break;
            case NormalizingTransformer normalizer:
                for (int i = schema.Count; i < output.Count; i++)
                {
                    var column = output[i];
                    int k = i - schema.Count;
                    Derive(output, column.Name, column.Name, x => Normalize(normalizer.GetNormalizerModelParameters(k), column, x, where));
                }
                break;
            case ColumnCopyingTransformer:
                // Each added column is a copy of an input column with the same type: found by its values' origin is not public,
                // so a copy is recognised by its name only when it replaces nothing; otherwise its value cannot be followed.
                for (int i = schema.Count; i < output.Count; i++)
                    Unsupported(output[i].Name, output[i].Type, $"{where} copies a column into '{output[i].Name}', which the network's features need; the exporter cannot tell which column it copies — compute the features without CopyColumns");
                break;
            case ColumnSelectingTransformer:
                break;
            default:
                // ML.NET's row-to-row transformers pass their input columns on first, unchanged, and append what they
                // compute (hiding a replaced column): only the appended columns are unknown. A transformer that does not
                // keep that shape may have changed any column.
                bool appends = output.Count >= schema.Count
                    && Enumerable.Range(0, schema.Count).All(i => output[i].Name == schema[i].Name && output[i].Type.Equals(schema[i].Type));
                foreach (var column in output.Where(c => !appends || c.Index >= schema.Count))
                    Unsupported(column.Name, column.Type, $"{where} has no ONNX form and computes '{column.Name}', which the network's features need");
                break;
        }
        // Columns the transform hid are gone; a column it added that is not known here cannot be exported.
        foreach (var name in columns.Keys.Where(n => output.GetColumnOrNull(n) is null).ToList()) columns.Remove(name);
        foreach (var column in output.Where(c => !c.IsHidden && !columns.ContainsKey(c.Name)))
            Unsupported(column.Name, column.Type, $"{where} adds '{column.Name}', which the network's features need, in a way the exporter does not know");
        return output;
    }

    private string Normalize(NormalizingTransformer.NormalizerModelParametersBase parameters, DataViewSchema.Column column, string x, string where)
    {
        if (parameters is not NormalizingTransformer.AffineNormalizerModelParameters<System.Collections.Immutable.ImmutableArray<float>> vector)
        {
            if (parameters is NormalizingTransformer.AffineNormalizerModelParameters<float> scalar)
            {
                steps.Add($"Normalize: {column.Name} = ({column.Name} − {scalar.Offset}) × {scalar.Scale} as fitted");
                var sub = g.Node("Sub", [x, g.Scalar($"{column.Name}/normalize_offset", scalar.Offset)], $"{column.Name}/normalize_shifted");
                return g.Node("Mul", [sub, g.Scalar($"{column.Name}/normalize_scale", scalar.Scale)], $"{column.Name}/Normalize");
            }
            throw new NotSupportedException($"{where} normalizes '{column.Name}' with {parameters.GetType().Name}, which has no ONNX form here; use an affine normalizer (NormalizeMinMax, NormalizeMeanVariance, NormalizeLogMeanVariance without CDF, NormalizeRobustScaling).");
        }
        var type = (VectorDataViewType)column.Type;
        long[] shape = [1, .. type.Dimensions.Select(d => (long)d)];
        // ML.NET's affine normalizer computes (x − offset) · scale; an empty offset is 0.
        steps.Add($"Normalize: {column.Name} = ({column.Name} − offset) × scale with the statistics ML.NET's normalizer learned when fitting");
        string shifted = x;
        if (!vector.Offset.IsDefaultOrEmpty)
            shifted = g.Node("Sub", [x, g.Floats($"{column.Name}/normalize_offset", Expand(vector.Offset, type.Size), shape)], $"{column.Name}/normalize_shifted");
        return g.Node("Mul", [shifted, g.Floats($"{column.Name}/normalize_scale", Expand(vector.Scale, type.Size), shape)], $"{column.Name}/Normalize");
    }

    private static float[] Expand(System.Collections.Immutable.ImmutableArray<float> values, int size) =>
        values.Length == size ? [.. values] : values.Length == 1 ? Enumerable.Repeat(values[0], size).ToArray()
            : throw new NotSupportedException($"A normalizer holds {values.Length} values for a column of {size}.");

    /// <summary>Registers <paramref name="outputName"/> as computed from <paramref name="inputName"/> as it is now (a later transform may replace it).</summary>
    private void Derive(DataViewSchema output, string inputName, string outputName, Func<string, string> write)
    {
        var input = columns.TryGetValue(inputName, out var c) ? c : throw new ArgumentException($"The transforms read a column '{inputName}' the exporter did not see.");
        columns[outputName] = new(output[outputName].Type, new(() => write(input.Value.Value)));
    }

    private void Unsupported(string name, DataViewType type, string reason) =>
        columns[name] = new(type, new(() => throw new NotSupportedException($"Cannot export to ONNX: {reason}.")));

    /// <summary>The graph input for a raw column (float32, or uint8 cast to float32).</summary>
    private string RawInput(DataViewSchema.Column column)
    {
        if (InputColumn is { } other)
            throw new NotSupportedException($"The network's features are computed from the raw columns '{other.Name}' and '{column.Name}'; the ONNX export has a single input.");
        var type = ImageColumns.Require(column.Type, column.Name, "The ONNX export's input");
        InputColumn = column;
        InputName = g.ExactName(options.InputName ?? column.Name.ToLowerInvariant());
        var dims = type.Dimensions.Select(d => (long)d).ToArray();
        if (options.InputType == OnnxInputType.UInt8)
        {
            g.Input(InputName, DataType.Uint8, dims);
            steps.Add($"Input: '{InputName}' uint8 [N, {string.Join(", ", dims)}] (raw column '{column.Name}'), cast to float32");
            return g.Node("Cast", [InputName], $"{InputName}/float", OnnxAttributes.Int("to", (long)DataType.Float));
        }
        g.Input(InputName, DataType.Float, dims);
        steps.Add($"Input: '{InputName}' float32 [N, {string.Join(", ", dims)}] (raw column '{column.Name}', {column.Type})");
        return InputName;
    }
}
