using MnistMl.Torch.NN;

namespace MnistMl.Trainers.Layers;

/// <summary>Keras Dense: activation(x Wᵀ + b) on flat input.</summary>
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
        return Built(context, new Linear(inputShape[0], Units, UseBias, kernel, bias), activation, [Units]);
    }
}
