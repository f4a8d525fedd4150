using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>Multiplies a numeric column by a constant into float32: bytes 0–255 × 1/255 → 0–1 (Keras' x / 255).</summary>
public sealed class PixelScalingTransformer : MappingTransformer
{
    public PixelScalingTransformer(string outputColumnName, string? inputColumnName = null, double factor = 1.0 / 255)
    {
        if (!double.IsFinite(factor) || factor == 0) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be finite and non-zero.");
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
        Factor = factor;
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }
    public double Factor { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = ColumnChecks.Numeric(inputSchema, InputColumnName, "ScalePixels");
        var type = new ColumnType(ScalarType.Float32, input.Type.Dimensions);
        return [new(new(OutputColumnName, type), [InputColumnName], x => ColumnChecks.AsFloat(x[0]) * Factor)];
    }
}
