namespace MnistMl.Torch.Optim;

/// <summary>
/// Adam with Nesterov momentum and Dozat's momentum schedule μ_t = β1·(1 − ½·0.96^(t·momentumDecay));
/// torch.optim.NAdam's single-tensor algorithm. The running product of the μ (<c>mu_product</c>) is state.
/// </summary>
public sealed class NAdam : Optimizer
{
    private const string ExpAvg = "exp_avg";
    private const string ExpAvgSq = "exp_avg_sq";
    private const string MuProduct = "mu_product";

    public NAdam(IEnumerable<Tensor> parameters, double learningRate = 2e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, double momentumDecay = 4e-3)
        : base(parameters, learningRate)
    {
        Configure(beta1, beta2, epsilon, weightDecay, momentumDecay);
    }

    public double Beta1 { get; private set; }
    public double Beta2 { get; private set; }
    public double Epsilon { get; private set; }
    public double WeightDecay { get; private set; }
    public double MomentumDecay { get; private set; }

    private void Configure(double beta1, double beta2, double epsilon, double weightDecay, double momentumDecay)
    {
        HyperParameter.Coefficient(beta1, nameof(beta1));
        HyperParameter.Coefficient(beta2, nameof(beta2));
        HyperParameter.NonNegative(epsilon, nameof(epsilon));
        HyperParameter.NonNegative(weightDecay, nameof(weightDecay));
        HyperParameter.NonNegative(momentumDecay, nameof(momentumDecay));
        (Beta1, Beta2, Epsilon, WeightDecay, MomentumDecay) = (beta1, beta2, epsilon, weightDecay, momentumDecay);
    }

    protected override IReadOnlyList<string> StateNames => [ExpAvg, ExpAvgSq];

    protected override IReadOnlyList<string> ScalarStateNames => [MuProduct];

    protected override void InitializeState(ParameterState state, Tensor parameter)
    {
        // PyTorch keeps mu_product as a float32 0-d tensor (torch.tensor(1.)); its float32 rounding is part of the result.
        state.Set(MuProduct, torch.Scalar(1.0));
        state.Set(ExpAvg, torch.ZerosLike(parameter));
        state.Set(ExpAvgSq, torch.ZerosLike(parameter));
    }

    protected override void Update(Tensor parameter, Tensor gradient, ParameterState state)
    {
        var expAvg = state[ExpAvg];
        var expAvgSq = state[ExpAvgSq];
        var muProduct = state[MuProduct];
        double step = state.Step;
        double learningRate = LearningRate;

        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        if (WeightDecay != 0) gradient = gradient.Add(parameter, WeightDecay);

        double mu = Beta1 * (1.0 - 0.5 * Math.Pow(0.96, step * MomentumDecay));
        double muNext = Beta1 * (1.0 - 0.5 * Math.Pow(0.96, (step + 1) * MomentumDecay));
        muProduct.Mul_(mu);
        double muProductNext = (muProduct * mu * muNext).Item();

        expAvg.Mul_(Beta1).Add_(gradient, 1 - Beta1);
        expAvgSq.Mul_(Beta2).Addcmul_(gradient, gradient, 1 - Beta2);

        var denominator = (expAvgSq / biasCorrection2).Sqrt().Add_(Epsilon);
        parameter.Addcdiv_(gradient, denominator, -learningRate * (1.0 - mu) / (1.0 - muProduct.Item()));
        parameter.Addcdiv_(expAvg, denominator, -learningRate * muNext / (1.0 - muProductNext));
    }

    protected override IReadOnlyDictionary<string, double> GetHyperParameters() => new Dictionary<string, double>
    {
        ["beta1"] = Beta1,
        ["beta2"] = Beta2,
        ["eps"] = Epsilon,
        ["weight_decay"] = WeightDecay,
        ["momentum_decay"] = MomentumDecay,
    };

    protected override void SetHyperParameters(IReadOnlyDictionary<string, double> values) =>
        Configure(values["beta1"], values["beta2"], values["eps"], values["weight_decay"], values["momentum_decay"]);
}
