namespace MnistMl.Torch.Optim;

/// <summary>
/// In-place clipping of parameter gradients, as torch.nn.utils (clip_grad_value_, clip_grad_norm_) and
/// Keras' per-tensor <c>clipnorm</c>. Parameters without a gradient are skipped.
/// </summary>
public static class GradientClipping
{
    /// <summary>Clamps every gradient element to [-clipValue, clipValue] (torch.nn.utils.clip_grad_value_, Keras clipvalue).</summary>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        HyperParameter.Positive(clipValue, nameof(clipValue));
        using var noGrad = torch.NoGrad();
        using var scope = torch.NewDisposeScope();
        foreach (var gradient in Gradients(parameters))
            gradient.Clamp_(-clipValue, clipValue);
    }

    /// <summary>
    /// Scales all gradients together so that their joint <paramref name="normType"/>-norm (the norm of the
    /// per-tensor norms; infinity: the largest magnitude) is at most about <paramref name="maxNorm"/>:
    /// torch.nn.utils.clip_grad_norm_, coefficient min(maxNorm / (norm + 1e-6), 1). Returns the norm before clipping.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        HyperParameter.Positive(maxNorm, nameof(maxNorm));
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"normType must be greater than 0 (or infinity), not {normType}.");
        using var noGrad = torch.NoGrad();
        using var scope = torch.NewDisposeScope();
        var gradients = Gradients(parameters).ToList();
        if (gradients.Count == 0) return 0;

        Tensor totalNorm;
        if (double.IsPositiveInfinity(normType))
        {
            var norms = gradients.Select(g => g.Abs().Max()).ToList();
            totalNorm = norms.Count == 1 ? norms[0] : torch.Stack(norms).Max();
        }
        else
        {
            totalNorm = torch.Stack(gradients.Select(g => g.Norm(normType)).ToList()).Norm(normType);
        }
        // As PyTorch: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1, multiplied in even when it is 1.
        var clipCoefficient = (maxNorm / (totalNorm + 1e-6)).Clamp(max: 1.0);
        foreach (var gradient in gradients) gradient.Mul_(clipCoefficient);
        return totalNorm.Item();
    }

    /// <summary>
    /// Scales each gradient on its own to an L2 norm of at most <paramref name="maxNorm"/>:
    /// g * maxNorm / max(‖g‖, maxNorm) (Keras clipnorm, tf.clip_by_norm).
    /// </summary>
    public static void ClipGradNormPerTensor(IEnumerable<Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        HyperParameter.Positive(maxNorm, nameof(maxNorm));
        using var noGrad = torch.NoGrad();
        using var scope = torch.NewDisposeScope();
        foreach (var gradient in Gradients(parameters))
            gradient.Mul_(maxNorm / gradient.Norm(2).Clamp(min: maxNorm));
    }

    private static IEnumerable<Tensor> Gradients(IEnumerable<Tensor> parameters)
    {
        foreach (var parameter in parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
            if (parameter.Grad is Tensor gradient) yield return gradient;
        }
    }
}
