using MnistMl.Torch.NN;

namespace MnistMl.Trainers.Layers;

/// <summary>Keras Dense: activation(x Wᵀ + b) on flat input; glorot_uniform kernel and zero bias by default.</summary>
public sealed record DenseLayer : LayerSpec
{
    public DenseLayer() { }

    public DenseLayer(int units, string activation = "linear")
    {
        Units = units;
        Activation = activation;
    }

    public int Units { get; init; }
    public string Activation { get; init; } = "linear";
    public bool UseBias { get; init; } = true;
    public string KernelInitializer { get; init; } = "glorot_uniform";
    public string BiasInitializer { get; init; } = "zeros";
    public Regularizer? KernelRegularizer { get; init; }
    public Regularizer? BiasRegularizer { get; init; }
    public Regularizer? ActivityRegularizer { get; init; }

    public override string TypeName => "Dense";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        string where = context.Describe(TypeName);
        if (Units <= 0) throw new ArgumentOutOfRangeException(nameof(Units), Units, $"{where}: units must be positive.");
        if (inputShape.Length != 1)
            throw new ArgumentException($"{where} needs a flat input but receives [{string.Join(", ", inputShape)}]: add a Flatten (or GlobalAveragePooling2D) layer before it.");
        var activation = LayerArguments.Activation(Activation, where);
        KernelRegularizer?.Validate(where);
        BiasRegularizer?.Validate(where);
        ActivityRegularizer?.Validate(where);
        var linear = new Linear(inputShape[0], Units, UseBias,
            LayerArguments.Initializer(KernelInitializer, where), LayerArguments.Initializer(BiasInitializer, where));
        return new BuiltLayer(context.Name, TypeName, linear, activation, 0.3, [Units])
        {
            KernelRegularizer = KernelRegularizer,
            BiasRegularizer = BiasRegularizer,
            ActivityRegularizer = ActivityRegularizer,
        };
    }
}
