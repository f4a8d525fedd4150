namespace MnistMl.Trainers.Layers;

/// <summary>
/// Keras' L1/L2 penalty: l1 · Σ|w| + l2 · Σw², added to the loss. As an activity regularizer it acts on the
/// layer's output and is divided by the batch size, as tf.keras does.
/// </summary>
public sealed record Regularizer(double L1 = 0, double L2 = 0)
{
    internal void Validate(string where)
    {
        if (!(L1 >= 0) || !double.IsFinite(L1)) throw new ArgumentOutOfRangeException(nameof(L1), L1, $"{where}: the L1 factor must be finite and not negative.");
        if (!(L2 >= 0) || !double.IsFinite(L2)) throw new ArgumentOutOfRangeException(nameof(L2), L2, $"{where}: the L2 factor must be finite and not negative.");
    }

    public bool IsZero => L1 == 0 && L2 == 0;
}
