namespace MnistMl.Torch.NN;

/// <summary>Randomly zeroes inputs with probability p in training mode, scaling the rest by 1/(1-p); identity in evaluation.</summary>
public sealed class Dropout : Module
{
    public Dropout(double p = 0.5)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout rate must be in [0, 1).");
        P = p;
    }

    public double P { get; }

    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training);
}
