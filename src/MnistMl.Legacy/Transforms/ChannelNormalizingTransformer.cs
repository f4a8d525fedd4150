using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>
/// Per-channel (x − mean[c]) / std[c] of images [C, H, W] with fixed statistics (torchvision's Normalize);
/// <see cref="ImageNet"/> holds the statistics ImageNet-pretrained backbones expect on 0–1 RGB input.
/// </summary>
public sealed class ChannelNormalizingTransformer : MappingTransformer
{
    /// <summary>ImageNet's RGB mean and standard deviation (for input scaled to 0–1).</summary>
    public static readonly (double[] Mean, double[] Std) ImageNet = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);

    public ChannelNormalizingTransformer(string outputColumnName, string? inputColumnName, double[] mean, double[] std)
    {
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"mean ({mean.Length} values) and std ({std.Length} values) need one value per channel.", nameof(std));
        if (std.Any(s => !(s > 0))) throw new ArgumentOutOfRangeException(nameof(std), "Every std must be positive.");
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
        Mean = mean;
        Std = std;
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }
    public IReadOnlyList<double> Mean { get; }
    public IReadOnlyList<double> Std { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = ColumnChecks.Image(inputSchema, InputColumnName, "NormalizeChannels", channels: Mean.Count);
        var mean = Mean.Select(v => (float)v).ToArray();
        var inverseStd = Std.Select(v => (float)(1 / v)).ToArray();
        return [new(new(OutputColumnName, new ColumnType(ScalarType.Float32, input.Type.Dimensions)), [InputColumnName], x =>
        {
            using var m = torch.tensor(mean, [1, mean.Length, 1, 1]);
            using var s = torch.tensor(inverseStd, [1, inverseStd.Length, 1, 1]);
            using var centered = ColumnChecks.AsFloat(x[0]) - m;
            return centered * s;
        })];
    }
}
