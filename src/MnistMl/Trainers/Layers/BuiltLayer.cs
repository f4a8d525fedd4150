using MnistMl.Torch.NN;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// A layer turned into modules: the core module (weights), an optional activation applied after it, the weight
/// penalties it adds to the loss, and its summary line.
/// </summary>
internal sealed record BuiltLayer(string Name, string TypeName, Module? Core, ActivationKind? Activation, double ActivationAlpha, long[] OutputShape)
{
    public Regularizer? KernelRegularizer { get; init; }
    public Regularizer? BiasRegularizer { get; init; }
    public Regularizer? ActivityRegularizer { get; init; }
}
