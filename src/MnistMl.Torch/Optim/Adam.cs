namespace MnistMl.Torch.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba) with optional L2 weight decay added to the gradient and the AMSGrad variant;
/// torch.optim.Adam's single-tensor algorithm.
/// </summary>
public class Adam : Optimizer
{
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(parameters, learningRate)
    {
        Configure(beta1, beta2, epsilon, weightDecay, amsgrad);
    }

    public double Beta1 { get; private set; }
    public double Beta2 { get; private set; }
    public double Epsilon { get; private set; }
    public double WeightDecay { get; private set; }
    public bool Amsgrad { get; private set; }

    private void Configure(double beta1, double beta2, double epsilon, double weightDecay, bool amsgrad)
    {
        HyperParameter.Coefficient(beta1, nameof(beta1));
        HyperParameter.Coefficient(beta2, nameof(beta2));
        HyperParameter.NonNegative(epsilon, nameof(epsilon));
        HyperParameter.NonNegative(weightDecay, nameof(weightDecay));
        (Beta1, Beta2, Epsilon, WeightDecay, Amsgrad) = (beta1, beta2, epsilon, weightDecay, amsgrad);
    }

    protected override IReadOnlyList<string> StateNames => AdamUpdate.StateNames(Amsgrad);

    protected override void InitializeState(ParameterState state, Tensor parameter) => AdamUpdate.Initialize(state, parameter, Amsgrad);

    protected override void Update(Tensor parameter, Tensor gradient, ParameterState state)
    {
        gradient = ApplyWeightDecay(parameter, gradient);
        AdamUpdate.Apply(parameter, gradient, state, LearningRate, Beta1, Beta2, Epsilon, Amsgrad);
    }

    /// <summary>Adam's L2 penalty: weightDecay · parameter is added to the gradient.</summary>
    protected virtual Tensor ApplyWeightDecay(Tensor parameter, Tensor gradient) =>
        WeightDecay != 0 ? gradient.Add(parameter, WeightDecay) : gradient;

    protected override IReadOnlyDictionary<string, double> GetHyperParameters() => new Dictionary<string, double>
    {
        ["beta1"] = Beta1,
        ["beta2"] = Beta2,
        ["eps"] = Epsilon,
        ["weight_decay"] = WeightDecay,
        ["amsgrad"] = Amsgrad ? 1 : 0,
    };

    protected override void SetHyperParameters(IReadOnlyDictionary<string, double> values) =>
        Configure(values["beta1"], values["beta2"], values["eps"], values["weight_decay"], values["amsgrad"] != 0);
}
