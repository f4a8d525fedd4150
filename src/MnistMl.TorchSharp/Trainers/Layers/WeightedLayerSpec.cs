using MnistMl.Trainers.Keras;
using static TorchSharp.torch;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// What Keras' Dense and Conv2D share: an activation after the weights, kernel and bias initializers (glorot_uniform
/// and zeros by default) and L1/L2 penalties on the kernel, the bias and the layer's output.
/// </summary>
public abstract record WeightedLayerSpec : LayerSpec
{
    public string Activation { get; init; } = "linear";
    public bool UseBias { get; init; } = true;
    public string KernelInitializer { get; init; } = "glorot_uniform";
    public string BiasInitializer { get; init; } = "zeros";
    public Regularizer? KernelRegularizer { get; init; }
    public Regularizer? BiasRegularizer { get; init; }
    public Regularizer? ActivityRegularizer { get; init; }

    /// <summary>The parsed activation and initializers, after checking every shared argument; errors name the layer.</summary>
    private protected (ActivationKind Activation, KerasInitializer Kernel, KerasInitializer Bias) SharedArguments(string where)
    {
        KernelRegularizer?.Validate(where);
        BiasRegularizer?.Validate(where);
        ActivityRegularizer?.Validate(where);
        return (LayerArguments.Activation(Activation, where), LayerArguments.Initializer(KernelInitializer, where), LayerArguments.Initializer(BiasInitializer, where));
    }

    /// <summary>Re-initializes a TorchSharp module's weight and bias with the Keras initializers (TorchSharp's defaults are PyTorch's).</summary>
    private protected static void Initialize(TorchSharp.Modules.Parameter weight, TorchSharp.Modules.Parameter? bias, KerasInitializer kernel, KerasInitializer biasInitializer)
    {
        kernel.Apply(weight);
        if (bias is not null) biasInitializer.Apply(bias);
    }

    /// <summary>The built layer with this spec's activation and penalties.</summary>
    private protected BuiltLayer Built(LayerContext context, nn.Module<Tensor, Tensor> core, ActivationKind activation, long[] outputShape) =>
        new(context.Name, TypeName, core, activation, LayerArguments.ActivationAlpha(activation), outputShape)
        {
            KernelRegularizer = KernelRegularizer,
            BiasRegularizer = BiasRegularizer,
            ActivityRegularizer = ActivityRegularizer,
        };
}
