namespace MnistMl.Torch.NN;

/// <summary>
/// Fully connected layer y = x Wᵀ + b (torch.nn.Linear, Keras Dense without activation); W is [out, in].
/// Defaults follow Keras: glorot_uniform weights, zero bias.
/// </summary>
public sealed class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, bool bias = true, Initializer? weightInitializer = null, Initializer? biasInitializer = null)
    {
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "Linear needs at least one input feature.");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "Linear needs at least one output unit.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", torch.Empty([outFeatures, inFeatures]));
        (weightInitializer ?? Initializer.GlorotUniform).Apply(Weight);
        if (bias)
        {
            Bias = RegisterParameter("bias", torch.Empty([outFeatures]));
            (biasInitializer ?? Initializer.Zeros).Apply(Bias);
        }
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
