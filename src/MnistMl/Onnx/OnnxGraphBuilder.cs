using MnistMl.Onnx.Proto;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Onnx;

/// <summary>
/// Builds one ONNX graph: nodes in execution order, initializers, inputs and outputs, with every value and node
/// name unique. Values are named after their stem ("conv2d/Relu"); a repeated stem gets a suffix ("_1", …).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The symbolic batch dimension of the inputs and outputs.</summary>
    public const string BatchDimension = "N";

    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string name) => Graph = new GraphProto { Name = name };

    public GraphProto Graph { get; }

    /// <summary>Reserves a name that no other value or node has yet.</summary>
    public string UniqueName(string stem)
    {
        if (names.Add(stem)) return stem;
        for (int i = 1; ; i++)
            if (names.Add($"{stem}_{i}")) return $"{stem}_{i}";
    }

    /// <summary>Whether no value or node has <paramref name="name"/> yet.</summary>
    public bool IsFree(string name) => !names.Contains(name);

    /// <summary>Reserves exactly <paramref name="name"/> (graph inputs and outputs, weights named after the state_dict).</summary>
    public string ExactName(string name)
    {
        if (!names.Add(name)) throw new ArgumentException($"The ONNX graph already has a value named '{name}'.", nameof(name));
        return name;
    }

    /// <summary>Adds one node and returns its single output.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string outputStem, params AttributeProto[] attributes) =>
        Node(opType, inputs, [UniqueName(outputStem)], attributes)[0];

    /// <summary>Adds one node whose outputs are already named (reserved by the caller).</summary>
    public IReadOnlyList<string> Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        // Node names live apart from value names in ONNX: a node is named after its (unique) first output.
        var node = new NodeProto { OpType = opType, Name = outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputs;
    }

    /// <summary>A float32 initializer; <paramref name="exact"/> keeps the name as given.</summary>
    public string Floats(string name, ReadOnlySpan<float> values, long[] dims, bool exact = false) =>
        Add(OnnxTensors.Float(exact ? ExactName(name) : UniqueName(name), values, dims));

    public string Int64s(string stem, ReadOnlySpan<long> values) => Add(OnnxTensors.Int64(UniqueName(stem), values, values.Length));

    /// <summary>A float32 scalar (rank 0) initializer, for the scalar inputs of Clip and Pad.</summary>
    public string Scalar(string stem, float value) => Add(OnnxTensors.Float(UniqueName(stem), [value]));

    /// <summary>A string initializer (class names), for Gather by a predicted index.</summary>
    public string Strings(string stem, IReadOnlyList<string> values) => Add(OnnxTensors.String(UniqueName(stem), values));

    public void Input(string name, DataType type, IReadOnlyList<long> rowShape) => Graph.Input.Add(BatchValue(name, type, rowShape));

    public void Output(string name, DataType type, IReadOnlyList<long> rowShape) => Graph.Output.Add(BatchValue(name, type, rowShape));

    /// <summary>An input of exactly <paramref name="shape"/> (no batch dimension): one row, as ML.NET's ApplyOnnxModel feeds it.</summary>
    public void RowInput(string name, DataType type, IReadOnlyList<long> shape) => Graph.Input.Add(Value(name, type, shape, batch: false));

    /// <summary>An output of exactly <paramref name="shape"/> (rank 0 for a scalar column).</summary>
    public void RowOutput(string name, DataType type, IReadOnlyList<long> shape) => Graph.Output.Add(Value(name, type, shape, batch: false));

    /// <summary>Adds an initializer (its name reserved by the caller); returns its name.</summary>
    public string Add(TensorProto tensor)
    {
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A tensor value of shape [N, rowShape…] with N symbolic.</summary>
    private static ValueInfoProto BatchValue(string name, DataType type, IReadOnlyList<long> rowShape) => Value(name, type, rowShape, batch: true);

    private static ValueInfoProto Value(string name, DataType type, IReadOnlyList<long> rowShape, bool batch)
    {
        var shape = new TensorShapeProto();
        if (batch) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var size in rowShape) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
