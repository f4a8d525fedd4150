namespace MnistMl.Torch.Optim;

/// <summary>
/// RMSprop (Hinton): divides the gradient by a running root mean square of past gradients, optionally
/// centered (variance instead of second moment) and with momentum; torch.optim.RMSprop's single-tensor algorithm.
/// <c>rho</c> is Keras' name for PyTorch's <c>alpha</c>.
/// </summary>
public sealed class RMSprop : Optimizer
{
    private const string SquareAvg = "square_avg";
    private const string MomentumBuffer = "momentum_buffer";
    private const string GradAvg = "grad_avg";

    public RMSprop(IEnumerable<Tensor> parameters, double learningRate = 1e-2, double rho = 0.99, double epsilon = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, learningRate)
    {
        Configure(rho, epsilon, weightDecay, momentum, centered);
    }

    /// <summary>Decay of the running mean of squared gradients (PyTorch's alpha).</summary>
    public double Rho { get; private set; }
    public double Epsilon { get; private set; }
    public double WeightDecay { get; private set; }
    public double Momentum { get; private set; }
    public bool Centered { get; private set; }

    private void Configure(double rho, double epsilon, double weightDecay, double momentum, bool centered)
    {
        HyperParameter.Coefficient(rho, nameof(rho));
        HyperParameter.NonNegative(epsilon, nameof(epsilon));
        HyperParameter.NonNegative(weightDecay, nameof(weightDecay));
        HyperParameter.NonNegative(momentum, nameof(momentum));
        (Rho, Epsilon, WeightDecay, Momentum, Centered) = (rho, epsilon, weightDecay, momentum, centered);
    }

    protected override IReadOnlyList<string> StateNames
    {
        get
        {
            var names = new List<string> { SquareAvg };
            if (Momentum > 0) names.Add(MomentumBuffer);
            if (Centered) names.Add(GradAvg);
            return names;
        }
    }

    protected override void InitializeState(ParameterState state, Tensor parameter)
    {
        foreach (var name in StateNames) state.Set(name, torch.ZerosLike(parameter));
    }

    protected override void Update(Tensor parameter, Tensor gradient, ParameterState state)
    {
        if (WeightDecay != 0) gradient = gradient.Add(parameter, WeightDecay);
        var squareAvg = state[SquareAvg].Mul_(Rho).Addcmul_(gradient, gradient, 1 - Rho);

        Tensor average;
        if (Centered)
        {
            var gradAvg = state[GradAvg].Mul_(Rho).Add_(gradient, 1 - Rho);
            average = squareAvg.Clone().Addcmul_(gradAvg, gradAvg, -1).Sqrt_();
        }
        else
        {
            average = squareAvg.Sqrt();
        }
        average.Add_(Epsilon);

        if (Momentum > 0)
        {
            var buffer = state[MomentumBuffer].Mul_(Momentum).Addcdiv_(gradient, average);
            parameter.Add_(buffer, -LearningRate);
        }
        else
        {
            parameter.Addcdiv_(gradient, average, -LearningRate);
        }
    }

    protected override IReadOnlyDictionary<string, double> GetHyperParameters() => new Dictionary<string, double>
    {
        ["alpha"] = Rho,
        ["eps"] = Epsilon,
        ["weight_decay"] = WeightDecay,
        ["momentum"] = Momentum,
        ["centered"] = Centered ? 1 : 0,
    };

    protected override void SetHyperParameters(IReadOnlyDictionary<string, double> values) =>
        Configure(values["alpha"], values["eps"], values["weight_decay"], values["momentum"], values["centered"] != 0);
}
