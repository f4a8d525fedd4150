using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>
/// y = (x − offset) · scale with learned statistics (one value, or one per element of the column's row);
/// float32 output of the input's shape.
/// </summary>
public sealed class NormalizingTransformer : MappingTransformer
{
    public NormalizingTransformer(string outputColumnName, string inputColumnName, double[] offset, double[] scale, NormalizationKind kind)
    {
        if (offset.Length != scale.Length || offset.Length == 0)
            throw new ArgumentException("Offset and scale must have the same, non-zero length.", nameof(scale));
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Offset = offset;
        Scale = scale;
        Kind = kind;
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }
    public NormalizationKind Kind { get; }

    /// <summary>min (MinMax) or mean (MeanVariance), per element or a single value.</summary>
    public IReadOnlyList<double> Offset { get; }

    /// <summary>1 / (max − min) or 1 / std, per element or a single value.</summary>
    public IReadOnlyList<double> Scale { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = ColumnChecks.Numeric(inputSchema, InputColumnName, $"Normalize{Kind}");
        if (Offset.Count != 1 && Offset.Count != input.Type.Size)
            throw new ArgumentException($"Normalize{Kind}: statistics were learned for {Offset.Count} elements per row; column '{InputColumnName}' has {input.Type.Size}.", nameof(inputSchema));
        long[] statShape = Offset.Count == 1 ? [1] : [1, .. input.Type.Dimensions];
        var offset = Offset.Select(v => (float)v).ToArray();
        var scale = Scale.Select(v => (float)v).ToArray();
        return [new(new(OutputColumnName, new ColumnType(ScalarType.Float32, input.Type.Dimensions)), [InputColumnName], x =>
        {
            using var o = torch.tensor(offset, statShape);
            using var s = torch.tensor(scale, statShape);
            using var shifted = ColumnChecks.AsFloat(x[0]) - o;
            return shifted * s;
        })];
    }
}
