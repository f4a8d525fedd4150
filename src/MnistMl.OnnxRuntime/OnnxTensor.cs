namespace MnistMl.OnnxRuntime;

/// <summary>
/// A dense tensor exchanged with ONNX Runtime: a managed array of elements in row-major order and a shape. An input
/// tensor wraps the caller's array without copying it (ONNX Runtime reads it, pinned, during
/// <see cref="InferenceSession.Run(IReadOnlyDictionary{string, OnnxTensor}, IReadOnlyList{string})"/>); an output tensor owns a fresh array copied out of ONNX Runtime.
/// </summary>
public sealed class OnnxTensor
{
    private readonly long[] shape;

    private OnnxTensor(Array data, TensorElementType elementType, long[] shape)
    {
        Data = data;
        ElementType = elementType;
        this.shape = shape;
    }

    /// <summary>
    /// A tensor over <paramref name="data"/> (not copied) with dimensions <paramref name="shape"/>; no dimensions make a
    /// scalar. Element types: float, double, Half, sbyte, byte, short, ushort, int, uint, long, ulong, bool.
    /// </summary>
    /// <exception cref="ArgumentException">The element type is not supported, a dimension is negative, or the shape does not hold data.Length elements.</exception>
    public static OnnxTensor FromArray<T>(T[] data, params ReadOnlySpan<long> shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        var elementType = TensorElementTypes.FromClrType(typeof(T));
        if (elementType == TensorElementType.Undefined)
            throw new ArgumentException($"ONNX has no tensor element type for {typeof(T).Name}.", nameof(data));
        return new OnnxTensor(data, elementType, CheckedShape(shape, data.LongLength));
    }

    internal static OnnxTensor FromOutput(Array data, TensorElementType elementType, long[] shape) => new(data, elementType, shape);

    public TensorElementType ElementType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<long> Shape => Array.AsReadOnly(shape);

    public int Rank => shape.Length;

    /// <summary>The elements, row-major: a float[], byte[], long[]… matching <see cref="ElementType"/>.</summary>
    public Array Data { get; }

    public long ElementCount => Data.LongLength;

    /// <summary>The elements as <typeparamref name="T"/>[] (the array itself, not a copy).</summary>
    /// <exception cref="InvalidOperationException">The tensor does not hold <typeparamref name="T"/> elements.</exception>
    public T[] GetData<T>() where T : unmanaged => Data as T[]
        ?? throw new InvalidOperationException($"The tensor holds {ElementType} elements ({Data.GetType().GetElementType()!.Name}), not {typeof(T).Name}.");

    internal long[] ShapeArray => shape;

    internal long ByteLength => Data.LongLength * TensorElementTypes.Size(ElementType);

    internal static string FormatShape(IEnumerable<long> dimensions) => "[" + string.Join(",", dimensions) + "]";

    public override string ToString() => $"{ElementType}{FormatShape(shape)}";

    private static long[] CheckedShape(ReadOnlySpan<long> shape, long length)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0) throw new ArgumentException($"Shape {FormatShape(shape.ToArray())} has a negative dimension.", nameof(shape));
            count = checked(count * dimension);
        }
        if (count != length)
            throw new ArgumentException($"Shape {FormatShape(shape.ToArray())} holds {count} elements, but the array has {length}.", nameof(shape));
        return shape.ToArray();
    }
}
