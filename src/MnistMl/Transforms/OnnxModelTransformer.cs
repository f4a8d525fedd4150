using Google.Protobuf;
using MnistMl.Data;
using MnistMl.Onnx.Proto;
using MnistMl.OnnxRuntime;
using MnistMl.Torch;

namespace MnistMl.Transforms;

/// <summary>
/// Runs an ONNX model through ONNX Runtime on each batch (ML.NET's ApplyOnnxModel): columns feed the model's
/// inputs (converted to the input's element type), and model outputs — graph outputs or any intermediate node,
/// e.g. a backbone's feature layer — become new columns. Works with models from anywhere, not only MnistMl's.
/// Owns the ONNX Runtime session: dispose it (or the chain holding it).
/// </summary>
public sealed class OnnxModelTransformer : MappingTransformer, IDisposable
{
    private readonly InferenceSession session;
    private readonly IReadOnlyDictionary<string, string> inputColumns;
    private readonly IReadOnlyDictionary<string, string> outputColumns;
    private readonly object gate = new();
    private (Tensor Key, IReadOnlyDictionary<string, OnnxTensor> Outputs)? lastRun;

    /// <param name="model">The model bytes (an .onnx file's content).</param>
    /// <param name="source">Names the model in errors (its path).</param>
    /// <param name="outputColumns">Model output or node name → new column name.</param>
    /// <param name="inputColumns">Model input name → column name.</param>
    /// <param name="options">Session options (threads, providers); null: ONNX Runtime's defaults with one intra-op thread.</param>
    public OnnxModelTransformer(byte[] model, string source, IReadOnlyDictionary<string, string> outputColumns, IReadOnlyDictionary<string, string> inputColumns,
        SessionOptions? options = null)
    {
        if (outputColumns.Count == 0) throw new ArgumentException("Name at least one model output to turn into a column.", nameof(outputColumns));
        Source = source;
        this.inputColumns = inputColumns;
        this.outputColumns = outputColumns;
        var bytes = ExposeNodes(model, source, outputColumns.Keys);
        using var defaults = options is null ? new SessionOptions { IntraOpNumThreads = 1 } : null;
        session = new InferenceSession(bytes, options ?? defaults!);
        foreach (var name in inputColumns.Keys)
            if (!session.InputNames.Contains(name))
                throw new ArgumentException($"ONNX model '{source}' has no input '{name}'; its inputs are {string.Join(", ", session.InputNames)}.", nameof(inputColumns));
        var missing = session.InputNames.Where(n => !inputColumns.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"ONNX model '{source}' needs inputs {string.Join(", ", missing)}, which no column was given for.", nameof(inputColumns));
    }

    public static OnnxModelTransformer FromFile(string path, IReadOnlyDictionary<string, string> outputColumns, IReadOnlyDictionary<string, string> inputColumns,
        SessionOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        return new OnnxModelTransformer(File.ReadAllBytes(path), path, outputColumns, inputColumns, options);
    }

    public string Source { get; }

    public IReadOnlyList<NodeMetadata> InputMetadata => session.InputMetadata;
    public IReadOnlyList<NodeMetadata> OutputMetadata => session.OutputMetadata;

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var inputs = inputColumns.Select(p => (Input: session.InputMetadata.Single(m => m.Name == p.Key), Column: inputSchema[p.Value])).ToList();
        foreach (var (input, column) in inputs)
        {
            var dims = input.Shape.Skip(1).ToArray();
            if (dims.Length != column.Type.Dimensions.Length || dims.Zip(column.Type.Dimensions).Any(d => d.First >= 0 && d.First != d.Second))
                throw new ArgumentException($"ONNX model '{Source}' input '{input.Name}' takes rows of {input.ShapeText} (after the batch dimension); column '{column.Name}' is {column.Type}.", nameof(inputSchema));
        }
        var columns = new List<DerivedColumn>();
        foreach (var (output, columnName) in outputColumns)
        {
            var metadata = session.OutputMetadata.Single(m => m.Name == output);
            var type = ColumnTypeOf(metadata);
            columns.Add(new(new(columnName, type), inputs.Select(i => i.Column.Name).ToArray(), x => Compute(x, output, type)));
        }
        return columns;
    }

    /// <summary>Runs the model once per batch (all output columns share the run) and returns one output as a tensor.</summary>
    private Tensor Compute(IReadOnlyList<Tensor> columns, string output, ColumnType type)
    {
        IReadOnlyDictionary<string, OnnxTensor> outputs;
        lock (gate)
        {
            if (lastRun is { } last && ReferenceEquals(last.Key, columns[0])) outputs = last.Outputs;
            else
            {
                var feeds = new Dictionary<string, OnnxTensor>();
                int i = 0;
                foreach (var (input, _) in inputColumns)
                    feeds[input] = ToOnnx(columns[i++], session.InputMetadata.Single(m => m.Name == input).ElementType);
                outputs = session.Run(feeds, outputColumns.Keys.ToArray());
                lastRun = (columns[0], outputs);
            }
        }
        var result = outputs[output];
        long rows = result.Shape[0];
        return result.ElementType switch
        {
            TensorElementType.Float => torch.FromArray(result.GetData<float>(), [rows, .. type.Dimensions]),
            TensorElementType.Int64 => torch.FromArray(result.GetData<long>(), [rows, .. type.Dimensions]),
            TensorElementType.UInt8 => torch.FromArray(result.GetData<byte>(), [rows, .. type.Dimensions]),
            TensorElementType.Double => torch.FromArray(result.GetData<double>(), [rows, .. type.Dimensions]),
            _ => throw new NotSupportedException($"ONNX model '{Source}' output '{output}' is {result.ElementType}, which has no column type."),
        };
    }

    private static OnnxTensor ToOnnx(Tensor column, TensorElementType type)
    {
        long[] shape = column.Shape;
        switch (type)
        {
            case TensorElementType.Float:
                using (var f = column.To(ScalarType.Float32)) return OnnxTensor.FromArray(f.ToArray<float>(), shape);
            case TensorElementType.UInt8:
                using (var b = column.To(ScalarType.Byte)) return OnnxTensor.FromArray(b.ToArray<byte>(), shape);
            case TensorElementType.Int64:
                using (var l = column.To(ScalarType.Int64)) return OnnxTensor.FromArray(l.ToArray<long>(), shape);
            case TensorElementType.Double:
                using (var d = column.To(ScalarType.Float64)) return OnnxTensor.FromArray(d.ToArray<double>(), shape);
            default:
                throw new NotSupportedException($"Model inputs of element type {type} cannot be fed from a column.");
        }
    }

    private ColumnType ColumnTypeOf(NodeMetadata output)
    {
        var element = output.ElementType switch
        {
            TensorElementType.Float => ScalarType.Float32,
            TensorElementType.Int64 => ScalarType.Int64,
            TensorElementType.UInt8 => ScalarType.Byte,
            TensorElementType.Double => ScalarType.Float64,
            _ => throw new NotSupportedException($"ONNX model '{Source}' output '{output.Name}' is {output.ElementType}, which has no column type."),
        };
        var dims = output.Shape.Skip(1).ToArray();
        if (output.Shape.Count == 0 || dims.Any(d => d < 0))
            throw new ArgumentException($"ONNX model '{Source}' output '{output.Name}' has shape {output.ShapeText}: a column needs a batch dimension followed by fixed sizes.");
        return new ColumnType(element, dims);
    }

    /// <summary>Adds requested intermediate nodes to the graph outputs so ONNX Runtime returns them.</summary>
    private static byte[] ExposeNodes(byte[] model, string source, IEnumerable<string> names)
    {
        ModelProto proto;
        try { proto = ModelProto.Parser.ParseFrom(model); }
        catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"ONNX model '{source}' cannot be parsed: {e.Message}", e); }
        var outputs = proto.Graph.Output.Select(o => o.Name).ToHashSet();
        var produced = proto.Graph.Node.SelectMany(n => n.Output).ToHashSet();
        bool changed = false;
        foreach (var name in names)
        {
            if (outputs.Contains(name)) continue;
            if (!produced.Contains(name))
                throw new ArgumentException($"ONNX model '{source}' has no output or node output '{name}'; its outputs are {string.Join(", ", outputs)}.");
            var info = proto.Graph.ValueInfo.FirstOrDefault(v => v.Name == name) ?? new ValueInfoProto { Name = name };
            proto.Graph.Output.Add(info);
            changed = true;
        }
        return changed ? proto.ToByteArray() : model;
    }

    public void Dispose() => session.Dispose();
}
