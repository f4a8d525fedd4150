namespace MnistMl.OnnxRuntime;

/// <summary>The managed element type that holds each ONNX element type this binding can exchange with ONNX Runtime.</summary>
internal static class TensorElementTypes
{
    private static readonly Dictionary<Type, TensorElementType> ByClrType = new()
    {
        [typeof(float)] = TensorElementType.Float,
        [typeof(byte)] = TensorElementType.UInt8,
        [typeof(sbyte)] = TensorElementType.Int8,
        [typeof(ushort)] = TensorElementType.UInt16,
        [typeof(short)] = TensorElementType.Int16,
        [typeof(int)] = TensorElementType.Int32,
        [typeof(long)] = TensorElementType.Int64,
        [typeof(bool)] = TensorElementType.Bool,
        [typeof(Half)] = TensorElementType.Float16,
        [typeof(double)] = TensorElementType.Double,
        [typeof(uint)] = TensorElementType.UInt32,
        [typeof(ulong)] = TensorElementType.UInt64,
    };

    private static readonly Dictionary<TensorElementType, Type> ByElementType = ByClrType.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>The element type stored in arrays of <paramref name="type"/>, or <see cref="TensorElementType.Undefined"/> when none.</summary>
    public static TensorElementType FromClrType(Type type) => ByClrType.GetValueOrDefault(type, TensorElementType.Undefined);

    /// <summary>The managed type for <paramref name="elementType"/>, or null when the binding cannot hold it (strings, complex, bfloat16).</summary>
    public static Type? ClrType(TensorElementType elementType) => ByElementType.GetValueOrDefault(elementType);

    /// <summary>Bytes per element of the types <see cref="ClrType"/> maps.</summary>
    public static int Size(TensorElementType elementType) => elementType switch
    {
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.UInt16 or TensorElementType.Int16 or TensorElementType.Float16 => 2,
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
        _ => throw new NotSupportedException($"{elementType} tensors are not supported by MnistMl.OnnxRuntime."),
    };

    /// <summary>A new zeroed array of <paramref name="length"/> elements of <paramref name="elementType"/>.</summary>
    public static Array NewArray(TensorElementType elementType, long length, string valueName)
    {
        var type = ClrType(elementType)
            ?? throw new NotSupportedException($"'{valueName}' holds {elementType} elements, which MnistMl.OnnxRuntime cannot copy into a managed array.");
        return Array.CreateInstance(type, length);
    }
}
