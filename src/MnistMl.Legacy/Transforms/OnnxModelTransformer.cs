using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using MnistMl.Data;
using MnistMl.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>
/// Runs an ONNX model through ONNX Runtime (Microsoft.ML.OnnxRuntime's <see cref="InferenceSession"/>) on each batch
/// (ML.NET's ApplyOnnxModel): columns feed the model's inputs (converted to the input's element type), and model
/// outputs — graph outputs or any intermediate node, e.g. a backbone's feature layer — become new columns. Works
/// with models from anywhere, not only MnistMl's. Owns the ONNX Runtime session: dispose it (or the chain holding it).
/// </summary>
public sealed class OnnxModelTransformer : MappingTransformer, IDisposable
{
    private readonly InferenceSession session;
    private readonly IReadOnlyDictionary<string, string> inputColumns;
    private readonly IReadOnlyDictionary<string, string> outputColumns;
    private readonly object gate = new();
    private (Tensor Key, IReadOnlyDictionary<string, Array> Outputs)? lastRun;

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
        session = OnnxSessions.Open(bytes, source, options ?? defaults!);
        try
        {
            foreach (var name in inputColumns.Keys)
                if (!session.InputMetadata.ContainsKey(name))
                    throw new ArgumentException($"ONNX model '{source}' has no input '{name}'; its inputs are {string.Join(", ", session.InputNames)}.", nameof(inputColumns));
            var missing = session.InputNames.Where(n => !inputColumns.ContainsKey(n)).ToList();
            if (missing.Count > 0)
                throw new ArgumentException($"ONNX model '{source}' needs inputs {string.Join(", ", missing)}, which no column was given for.", nameof(inputColumns));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public static OnnxModelTransformer FromFile(string path, IReadOnlyDictionary<string, string> outputColumns, IReadOnlyDictionary<string, string> inputColumns,
        SessionOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        return new OnnxModelTransformer(File.ReadAllBytes(path), path, outputColumns, inputColumns, options);
    }

    public string Source { get; }

    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => session.InputMetadata;
    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => session.OutputMetadata;

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var inputs = inputColumns.Select(p => (Name: p.Key, Input: session.InputMetadata[p.Key], Column: inputSchema[p.Value])).ToList();
        foreach (var (name, input, column) in inputs)
        {
            var dims = input.Dimensions.Skip(1).Select(d => (long)d).ToArray();
            if (dims.Length != column.Type.Dimensions.Length || dims.Zip(column.Type.Dimensions).Any(d => d.First >= 0 && d.First != d.Second))
                throw new ArgumentException($"ONNX model '{Source}' input '{name}' takes rows of {OnnxSessions.ShapeText(input)} (after the batch dimension); column '{column.Name}' is {column.Type}.", nameof(inputSchema));
        }
        var columns = new List<DerivedColumn>();
        foreach (var (output, columnName) in outputColumns)
        {
            var type = ColumnTypeOf(output, session.OutputMetadata[output]);
            columns.Add(new(new(columnName, type), inputs.Select(i => i.Column.Name).ToArray(), x => Compute(x, output, type)));
        }
        return columns;
    }

    /// <summary>Runs the model once per batch (all output columns share the run) and returns one output as a tensor.</summary>
    private Tensor Compute(IReadOnlyList<Tensor> columns, string output, ColumnType type)
    {
        IReadOnlyDictionary<string, Array> outputs;
        lock (gate)
        {
            if (lastRun is { } last && ReferenceEquals(last.Key, columns[0])) outputs = last.Outputs;
            else
            {
                var feeds = new Dictionary<string, OrtValue>();
                try
                {
                    int i = 0;
                    foreach (var (input, _) in inputColumns)
                        feeds[input] = ToOnnx(columns[i++], session.InputMetadata[input].ElementDataType);
                    using var runOptions = new RunOptions();
                    using var results = session.Run(runOptions, feeds, outputColumns.Keys.ToArray());
                    var copies = new Dictionary<string, Array>();
                    int o = 0;
                    foreach (var name in outputColumns.Keys) copies[name] = ToArray(results[o++], name);
                    outputs = copies;
                }
                finally
                {
                    foreach (var feed in feeds.Values) feed.Dispose();
                }
                lastRun = (columns[0], outputs);
            }
        }
        var result = outputs[output];
        long[] shape = [columns[0].size(0), .. type.Dimensions];
        return result switch
        {
            float[] f => torch.tensor(f, shape),
            long[] l => torch.tensor(l, shape),
            byte[] b => torch.tensor(b, shape),
            double[] d => torch.tensor(d, shape),
            _ => throw new NotSupportedException($"ONNX model '{Source}' output '{output}' has no column type."),
        };
    }

    private Array ToArray(OrtValue value, string name) => value.GetTensorTypeAndShape().ElementDataType switch
    {
        TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
        TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
        TensorElementType.UInt8 => value.GetTensorDataAsSpan<byte>().ToArray(),
        TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
        var other => throw new NotSupportedException($"ONNX model '{Source}' output '{name}' is {other}, which has no column type."),
    };

    private static OrtValue ToOnnx(Tensor column, TensorElementType type)
    {
        long[] shape = column.shape;
        switch (type)
        {
            case TensorElementType.Float:
                using (var f = column.to_type(ScalarType.Float32)) return OrtValue.CreateTensorValueFromMemory(f.data<float>().ToArray(), shape);
            case TensorElementType.UInt8:
                using (var b = column.to_type(ScalarType.Byte)) return OrtValue.CreateTensorValueFromMemory(b.data<byte>().ToArray(), shape);
            case TensorElementType.Int64:
                using (var l = column.to_type(ScalarType.Int64)) return OrtValue.CreateTensorValueFromMemory(l.data<long>().ToArray(), shape);
            case TensorElementType.Double:
                using (var d = column.to_type(ScalarType.Float64)) return OrtValue.CreateTensorValueFromMemory(d.data<double>().ToArray(), shape);
            default:
                throw new NotSupportedException($"Model inputs of element type {type} cannot be fed from a column.");
        }
    }

    private ColumnType ColumnTypeOf(string name, NodeMetadata output)
    {
        var element = output.ElementDataType switch
        {
            TensorElementType.Float => ScalarType.Float32,
            TensorElementType.Int64 => ScalarType.Int64,
            TensorElementType.UInt8 => ScalarType.Byte,
            TensorElementType.Double => ScalarType.Float64,
            _ => throw new NotSupportedException($"ONNX model '{Source}' output '{name}' is {output.ElementDataType}, which has no column type."),
        };
        var dims = output.Dimensions.Skip(1).Select(d => (long)d).ToArray();
        if (output.Dimensions.Length == 0 || dims.Any(d => d < 0))
            throw new ArgumentException($"ONNX model '{Source}' output '{name}' has shape {OnnxSessions.ShapeText(output)}: a column needs a batch dimension followed by fixed sizes.");
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
