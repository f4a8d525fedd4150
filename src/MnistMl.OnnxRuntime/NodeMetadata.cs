namespace MnistMl.OnnxRuntime;

/// <summary>One input or output of a model: its name, element type and shape (-1 for a dynamic dimension).</summary>
public sealed class NodeMetadata
{
    internal NodeMetadata(string name, bool isTensor, TensorElementType elementType, long[] shape, string[] symbolicDimensions)
    {
        Name = name;
        IsTensor = isTensor;
        ElementType = elementType;
        Shape = Array.AsReadOnly(shape);
        SymbolicDimensions = Array.AsReadOnly(symbolicDimensions);
    }

    public string Name { get; }

    /// <summary>False for sequences, maps and other non-tensor values, which this binding cannot feed or fetch.</summary>
    public bool IsTensor { get; }

    /// <summary>The element type; <see cref="TensorElementType.Undefined"/> when not a tensor.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>The dimensions, -1 where dynamic (e.g. the batch dimension).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The name of each dynamic dimension ("N", "batch"), "" for fixed or unnamed ones.</summary>
    public IReadOnlyList<string> SymbolicDimensions { get; }

    public int Rank => Shape.Count;

    /// <summary>The shape with dynamic dimensions by name, e.g. "[N,4]".</summary>
    public string ShapeText => "[" + string.Join(",", Shape.Select((d, i) => d >= 0 ? d.ToString() : SymbolicDimensions[i] is { Length: > 0 } s ? s : "?")) + "]";

    public override string ToString() => IsTensor ? $"{Name}: {ElementType}{ShapeText}" : $"{Name}: (not a tensor)";
}
