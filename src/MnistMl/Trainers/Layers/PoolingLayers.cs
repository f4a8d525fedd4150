using MnistMl.Torch.NN;

namespace MnistMl.Trainers.Layers;

/// <summary>Keras MaxPooling2D: pool size 2×2, stride = pool size, "valid" padding by default.</summary>
public sealed record MaxPool2DLayer : LayerSpec
{
    public int[] PoolSize { get; init; } = [2, 2];
    public int[]? Strides { get; init; }
    public string Padding { get; init; } = "valid";

    public override string TypeName => "MaxPool2D";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context) =>
        PoolingShapes.Build(this, inputShape, context, PoolSize, Strides, Padding, (k, s, p) => new MaxPool2d(k, s, p));
}

/// <summary>Keras AveragePooling2D: pool size 2×2, stride = pool size, "valid" padding by default.</summary>
public sealed record AvgPool2DLayer : LayerSpec
{
    public int[] PoolSize { get; init; } = [2, 2];
    public int[]? Strides { get; init; }
    public string Padding { get; init; } = "valid";

    public override string TypeName => "AvgPool2D";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context) =>
        PoolingShapes.Build(this, inputShape, context, PoolSize, Strides, Padding, (k, s, p) => new AvgPool2d(k, s, p));
}

/// <summary>Keras GlobalAveragePooling2D: the mean of each channel, [C, H, W] → [C].</summary>
public sealed record GlobalAveragePooling2DLayer : LayerSpec
{
    public override string TypeName => "GlobalAveragePooling2D";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        var input = LayerArguments.Image(inputShape, context.Describe(TypeName));
        return new BuiltLayer(context.Name, TypeName, new Sequential(new AdaptiveAvgPool2d((1, 1)), new Flatten()), null, 0, [input[0]]);
    }
}

internal static class PoolingShapes
{
    public static BuiltLayer Build(LayerSpec spec, long[] inputShape, LayerContext context, int[] poolSize, int[]? strides, string padding,
        Func<(long, long), (long, long), Padding2d, Module> create)
    {
        string where = context.Describe(spec.TypeName);
        var input = LayerArguments.Image(inputShape, where);
        var kernel = LayerArguments.Pair(poolSize, "pool_size", where);
        var stride = strides is null ? kernel : LayerArguments.Pair(strides, "strides", where);
        var pad = LayerArguments.Padding(padding, where);
        long height = LayerArguments.OutputSize(input[1], kernel.H, stride.H, pad, where);
        long width = LayerArguments.OutputSize(input[2], kernel.W, stride.W, pad, where);
        return new BuiltLayer(context.Name, spec.TypeName, create(kernel, stride, pad), null, 0, [input[0], height, width]);
    }
}
