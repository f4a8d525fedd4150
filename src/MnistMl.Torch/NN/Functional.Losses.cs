using MnistMl.Torch.Native;

namespace MnistMl.Torch.NN;

// Losses and weight penalties.
public static partial class Functional
{
    /// <summary>
    /// Cross-entropy from unnormalized logits [N, C]. An int64 target holds class indices [N];
    /// a floating target holds class probabilities [N, C] (one-hot or soft labels, Keras' categorical_crossentropy).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
        long ignoreIndex = -100, double labelSmoothing = 0)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1].");
        return Wrap(NativeMethods.mm_cross_entropy(logits.Handle, target.Handle, Tensor.HandleOrNull(weight), (int)reduction, ignoreIndex, labelSmoothing), nameof(CrossEntropy));
    }

    /// <summary>Negative log-likelihood of log-probabilities [N, C] at int64 class indices [N].</summary>
    public static Tensor NllLoss(Tensor logProbabilities, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100) =>
        Wrap(NativeMethods.mm_nll_loss(logProbabilities.Handle, target.Handle, Tensor.HandleOrNull(weight), (int)reduction, ignoreIndex), nameof(NllLoss));

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Wrap(NativeMethods.mm_mse_loss(input.Handle, target.Handle, (int)reduction), nameof(MseLoss));

    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Wrap(NativeMethods.mm_l1_loss(input.Handle, target.Handle, (int)reduction), nameof(L1Loss));

    /// <summary>Keras' L1 regularizer: factor · Σ|w|.</summary>
    public static Tensor L1Penalty(Tensor weight, double factor)
    {
        using var magnitude = weight.Abs();
        using var total = magnitude.Sum();
        return total * factor;
    }

    /// <summary>Keras' L2 regularizer: factor · Σw² (no ½, unlike some weight-decay formulations).</summary>
    public static Tensor L2Penalty(Tensor weight, double factor)
    {
        using var squared = weight.Square();
        using var total = squared.Sum();
        return total * factor;
    }
}
