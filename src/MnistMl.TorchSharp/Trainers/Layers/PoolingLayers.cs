using MnistMl.Trainers.Keras;
using static TorchSharp.torch;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// Keras MaxPooling2D as TorchSharp's <c>nn.MaxPool2d</c>: pool size 2×2, stride = pool size, "valid" padding by
/// default. Padded cells never win (an asymmetric "same" border is filled with −∞).
/// </summary>
public sealed record MaxPool2DLayer : LayerSpec
{
    public int[] PoolSize { get; init; } = [2, 2];
    public int[]? Strides { get; init; }
    public string Padding { get; init; } = "valid";

    public override string TypeName => "MaxPool2D";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context) =>
        PoolingShapes.Build(this, inputShape, context, PoolSize, Strides, Padding, double.NegativeInfinity,
            (k, s, b) => nn.MaxPool2d([k.H, k.W], [s.H, s.W], [b.Symmetric.H, b.Symmetric.W]));
}

/// <summary>
/// Keras AveragePooling2D as TorchSharp's <c>nn.AvgPool2d</c>: pool size 2×2, stride = pool size, "valid" padding by
/// default; "same" averages the real cells only (count_include_pad false; <see cref="SameAvgPool2d"/> when asymmetric).
/// </summary>
public sealed record AvgPool2DLayer : LayerSpec
{
    public int[] PoolSize { get; init; } = [2, 2];
    public int[]? Strides { get; init; }
    public string Padding { get; init; } = "valid";

    public override string TypeName => "AvgPool2D";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context) =>
        PoolingShapes.Build(this, inputShape, context, PoolSize, Strides, Padding, null, (k, s, b) => b.Extra is { } extra
            ? new SameAvgPool2d([k.H, k.W], [s.H, s.W], extra)
            : nn.AvgPool2d([k.H, k.W], [s.H, s.W], [b.Symmetric.H, b.Symmetric.W], count_include_pad: false));
}

/// <summary>Keras GlobalAveragePooling2D: the mean of each channel, [C, H, W] → [C] (AdaptiveAvgPool2d(1) + Flatten).</summary>
public sealed record GlobalAveragePooling2DLayer : LayerSpec
{
    public override string TypeName => "GlobalAveragePooling2D";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        var input = LayerArguments.Image(inputShape, context.Describe(TypeName));
        return new BuiltLayer(context.Name, TypeName, nn.Sequential(("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten())), null, 0, [input[0]]);
    }
}

internal static class PoolingShapes
{
    /// <summary>
    /// Checks the pooling arguments and builds the module; <paramref name="borderValue"/> is the fill of an asymmetric
    /// border module (null: the pooling module handles the border itself).
    /// </summary>
    public static BuiltLayer Build(LayerSpec spec, long[] inputShape, LayerContext context, int[] poolSize, int[]? strides, string padding,
        double? borderValue, Func<(long H, long W), (long H, long W), Borders, nn.Module<Tensor, Tensor>> create)
    {
        string where = context.Describe(spec.TypeName);
        var input = LayerArguments.Image(inputShape, where);
        var kernel = LayerArguments.Pair(poolSize, "pool_size", where);
        var stride = strides is null ? kernel : LayerArguments.Pair(strides, "strides", where);
        var pad = LayerArguments.Padding(padding, where);
        long height = LayerArguments.OutputSize(input[1], kernel.H, stride.H, pad, where);
        long width = LayerArguments.OutputSize(input[2], kernel.W, stride.W, pad, where);
        var borders = Borders.Resolve(pad, input, kernel, stride);
        var border = borderValue is { } value ? borders.Module(value) : null;
        var core = create(kernel, stride, border is null ? borders : borders with { Extra = null });
        return new BuiltLayer(context.Name, spec.TypeName, core, null, 0, [input[0], height, width]) { Border = border };
    }
}
