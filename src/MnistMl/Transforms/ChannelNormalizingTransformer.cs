using System.Globalization;
using Microsoft.ML.Data;
using MnistMl.Onnx;

namespace MnistMl.Transforms;

/// <summary>
/// Per-channel (x − mean[c]) / std[c] of images [C, H, W] with fixed statistics (torchvision's Normalize), computed
/// as (x − mean) × float32(1 / std). <see cref="ImageNet"/> holds the statistics ImageNet-pretrained backbones
/// expect on 0–1 RGB input.
/// </summary>
public sealed class ChannelNormalizingTransformer : ImageVectorTransformer
{
    /// <summary>ImageNet's RGB mean and standard deviation (for input scaled to 0–1).</summary>
    public static readonly (double[] Mean, double[] Std) ImageNet = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);

    private readonly float[] mean;
    private readonly float[] inverseStd;

    internal ChannelNormalizingTransformer(string outputColumnName, string inputColumnName, VectorDataViewType inputType, double[] mean, double[] std)
        : base(outputColumnName, inputColumnName, inputType, OutputTypeFor(inputColumnName, inputType, mean.Length))
    {
        Mean = mean;
        Std = std;
        this.mean = mean.Select(v => (float)v).ToArray();
        inverseStd = std.Select(v => (float)(1 / v)).ToArray();
    }

    internal static void Check(double[] mean, double[] std)
    {
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"NormalizeChannels: mean ({mean.Length} values) and std ({std.Length} values) need one value per channel.", nameof(std));
        if (std.Any(s => !(s > 0) || !double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(std), "NormalizeChannels: every std must be positive and finite.");
    }

    public IReadOnlyList<double> Mean { get; }
    public IReadOnlyList<double> Std { get; }

    public override string TransformName => "NormalizeChannels";

    public override string Description => string.Create(CultureInfo.InvariantCulture,
        $"{OutputColumnName} = ({InputColumnName} − mean[c]) / std[c], mean [{string.Join(", ", Mean.Select(v => v.ToString("G9", CultureInfo.InvariantCulture)))}], std [{string.Join(", ", Std.Select(v => v.ToString("G9", CultureInfo.InvariantCulture)))}]");

    private static VectorDataViewType OutputTypeFor(string inputColumnName, VectorDataViewType inputType, int channels)
    {
        var d = ImageColumns.Require(inputType, inputColumnName, "NormalizeChannels", rank: 3).Dimensions;
        if (d[0] != channels) throw new ArgumentException($"NormalizeChannels: column '{inputColumnName}' has {d[0]} channels; the statistics are for {channels}.");
        return inputType;
    }

    internal override void Map(ReadOnlySpan<float> input, Span<float> output)
    {
        int plane = input.Length / mean.Length;
        for (int c = 0; c < mean.Length; c++)
            for (int i = c * plane; i < (c + 1) * plane; i++) output[i] = (input[i] - mean[c]) * inverseStd[c];
    }

    internal override string WriteOnnx(OnnxGraphBuilder g, string x, string name)
    {
        long[] statShape = [1, mean.Length, 1, 1];
        var m = g.Floats($"{name}/channel_mean", mean, statShape);
        var s = g.Floats($"{name}/channel_inverse_std", inverseStd, statShape);
        var centered = g.Node("Sub", [x, m], $"{name}/channel_centered");
        return g.Node("Mul", [centered, s], $"{name}/NormalizeChannels");
    }
}
