using Microsoft.ML.Data;
using MnistMl.Onnx;

namespace MnistMl.Transforms;

/// <summary>Gives each row new dimensions with the same element count ([784] ↔ [1, 28, 28]); the values are unchanged.</summary>
public sealed class ReshapeTransformer : ImageVectorTransformer
{
    internal ReshapeTransformer(string outputColumnName, string inputColumnName, VectorDataViewType inputType, int[] dimensions)
        : base(outputColumnName, inputColumnName, inputType, OutputTypeFor(inputColumnName, inputType, dimensions))
    {
    }

    public override string TransformName => "Reshape";

    public override string Description => $"{OutputColumnName} = {InputColumnName} reshaped to {ImageColumns.Shape(OutputType)} per row";

    private static VectorDataViewType OutputTypeFor(string inputColumnName, VectorDataViewType inputType, int[] dimensions)
    {
        if (dimensions.Length == 0 || dimensions.Any(d => d <= 0))
            throw new ArgumentOutOfRangeException(nameof(dimensions), $"Reshape: dimensions [{string.Join(", ", dimensions)}] must be positive.");
        long size = dimensions.Aggregate(1L, (a, b) => a * b);
        if (size != inputType.Size)
            throw new ArgumentException($"Reshape: column '{inputColumnName}' has {inputType.Size} values per row ({ImageColumns.Shape(inputType)}); [{string.Join(", ", dimensions)}] holds {size}.", nameof(dimensions));
        return new VectorDataViewType(NumberDataViewType.Single, dimensions);
    }

    internal override void Map(ReadOnlySpan<float> input, Span<float> output) => input.CopyTo(output);

    internal override string WriteOnnx(OnnxGraphBuilder g, string x, string name) =>
        // 0 keeps the (dynamic) batch size.
        g.Node("Reshape", [x, g.Int64s($"{name}/shape", [0, .. OutputType.Dimensions.Select(d => (long)d)])], $"{name}/Reshape");
}
