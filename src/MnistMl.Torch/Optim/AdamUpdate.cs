namespace MnistMl.Torch.Optim;

/// <summary>The moment updates and bias-corrected step shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal static class AdamUpdate
{
    public const string ExpAvg = "exp_avg";
    public const string ExpAvgSq = "exp_avg_sq";
    public const string MaxExpAvgSq = "max_exp_avg_sq";

    public static IReadOnlyList<string> StateNames(bool amsgrad) => amsgrad ? [ExpAvg, ExpAvgSq, MaxExpAvgSq] : [ExpAvg, ExpAvgSq];

    public static void Initialize(ParameterState state, Tensor parameter, bool amsgrad)
    {
        foreach (var name in StateNames(amsgrad)) state.Set(name, torch.ZerosLike(parameter));
    }

    /// <summary>PyTorch 1.13 _single_tensor_adam after the weight-decay handling (non-capturable branch).</summary>
    public static void Apply(Tensor parameter, Tensor gradient, ParameterState state, double learningRate,
        double beta1, double beta2, double epsilon, bool amsgrad)
    {
        var expAvg = state[ExpAvg];
        var expAvgSq = state[ExpAvgSq];
        expAvg.Mul_(beta1).Add_(gradient, 1 - beta1);
        expAvgSq.Mul_(beta2).Addcmul_(gradient, gradient, 1 - beta2);

        double step = state.Step;
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        double stepSize = learningRate / biasCorrection1;
        double biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);

        Tensor denominator;
        if (amsgrad)
        {
            var maxExpAvgSq = state[MaxExpAvgSq].Maximum_(expAvgSq);
            denominator = (maxExpAvgSq.Sqrt() / biasCorrection2Sqrt).Add_(epsilon);
        }
        else
        {
            denominator = (expAvgSq.Sqrt() / biasCorrection2Sqrt).Add_(epsilon);
        }
        parameter.Addcdiv_(expAvg, denominator, -stepSize);
    }
}
