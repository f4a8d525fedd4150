using MnistMl.Trainers.Keras;
using static TorchSharp.torch;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// A layer turned into TorchSharp modules: an optional border module (Keras "same" padding that TorchSharp's
/// symmetric padding cannot express), the core module (weights), an optional activation applied after it, the
/// weight penalties it adds to the loss, and its summary line.
/// </summary>
internal sealed record BuiltLayer(string Name, string TypeName, nn.Module<Tensor, Tensor>? Core, ActivationKind? Activation, double ActivationAlpha, long[] OutputShape)
{
    public nn.Module<Tensor, Tensor>? Border { get; init; }
    public Regularizer? KernelRegularizer { get; init; }
    public Regularizer? BiasRegularizer { get; init; }
    public Regularizer? ActivityRegularizer { get; init; }
}
