using static TorchSharp.torch;

namespace MnistMl.Trainers.Layers;

/// <summary>Keras Dense: activation(x Wᵀ + b) on flat input, as TorchSharp's <c>nn.Linear</c>.</summary>
public sealed record DenseLayer : WeightedLayerSpec
{
    public DenseLayer() { }

    public DenseLayer(int units, string activation = "linear")
    {
        Units = units;
        Activation = activation;
    }

    public int Units { get; init; }

    public override string TypeName => "Dense";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        string where = context.Describe(TypeName);
        if (Units <= 0) throw new ArgumentOutOfRangeException(nameof(Units), Units, $"{where}: units must be positive.");
        if (inputShape.Length != 1)
            throw new ArgumentException($"{where} needs a flat input but receives [{string.Join(", ", inputShape)}]: add a Flatten (or GlobalAveragePooling2D) layer before it.");
        var (activation, kernel, bias) = SharedArguments(where);
        LayerArguments.CheckWeightMemory((double)inputShape[0] * Units + Units, where);
        var linear = nn.Linear(inputShape[0], Units, hasBias: UseBias);
        Initialize(linear.weight!, linear.bias, kernel, bias);
        return Built(context, linear, activation, [Units]);
    }
}
