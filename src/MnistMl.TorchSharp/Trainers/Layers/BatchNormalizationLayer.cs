using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// Keras BatchNormalization over channels (images) or features (flat input): γ and β trainable, moving mean and
/// variance not. Keras' momentum 0.99 means moving = 0.99·moving + 0.01·batch (PyTorch momentum 0.01); epsilon 1e-3.
/// </summary>
public sealed record BatchNormalizationLayer : LayerSpec
{
    public double Momentum { get; init; } = 0.99;
    public double Epsilon { get; init; } = 1e-3;

    public override string TypeName => "BatchNormalization";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        string where = context.Describe(TypeName);
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, $"{where}: momentum must be in [0, 1).");
        if (!(Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, $"{where}: epsilon must be positive.");
        nn.Module<Tensor, Tensor> norm = inputShape.Length switch
        {
            1 => nn.BatchNorm1d(inputShape[0], Epsilon, 1 - Momentum),
            3 => nn.BatchNorm2d(inputShape[0], Epsilon, 1 - Momentum),
            _ => throw new ArgumentException($"{where} needs flat or image input, not [{string.Join(", ", inputShape)}]."),
        };
        return new BuiltLayer(context.Name, TypeName, norm, null, 0, inputShape);
    }
}
