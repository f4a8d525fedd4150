namespace MnistMl.Torch.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter): the parameter is first multiplied by
/// 1 − lr·weightDecay; torch.optim.AdamW's single-tensor algorithm. Everything else is <see cref="Adam"/>.
/// </summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad)
    {
    }

    protected override Tensor ApplyWeightDecay(Tensor parameter, Tensor gradient)
    {
        parameter.Mul_(1 - LearningRate * WeightDecay);
        return gradient;
    }
}
