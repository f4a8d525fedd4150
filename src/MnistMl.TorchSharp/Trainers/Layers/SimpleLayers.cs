using static TorchSharp.torch;

namespace MnistMl.Trainers.Layers;

/// <summary>Keras Dropout: zeroes a fraction <see cref="Rate"/> of inputs while training (TorchSharp's <c>nn.Dropout</c>).</summary>
public sealed record DropoutLayer : LayerSpec
{
    public DropoutLayer() { }

    public DropoutLayer(double rate) => Rate = rate;

    public double Rate { get; init; }

    public override string TypeName => "Dropout";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        if (!(Rate >= 0 && Rate < 1))
            throw new ArgumentOutOfRangeException(nameof(Rate), Rate, $"{context.Describe(TypeName)}: the dropout rate must be in [0, 1).");
        return new BuiltLayer(context.Name, TypeName, nn.Dropout(Rate), null, 0, inputShape);
    }
}

/// <summary>Keras Flatten: [C, H, W] → [C·H·W].</summary>
public sealed record FlattenLayer : LayerSpec
{
    public override string TypeName => "Flatten";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context) =>
        new(context.Name, TypeName, nn.Flatten(), null, 0, [inputShape.Aggregate(1L, (a, b) => a * b)]);
}

/// <summary>Keras Activation: applies an activation function by name.</summary>
public sealed record ActivationLayer : LayerSpec
{
    public ActivationLayer() { }

    public ActivationLayer(string activation) => Activation = activation;

    public string Activation { get; init; } = "linear";

    public override string TypeName => "Activation";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        var kind = LayerArguments.Activation(Activation, context.Describe(TypeName));
        return new(context.Name, TypeName, null, kind, LayerArguments.ActivationAlpha(kind), inputShape);
    }
}
