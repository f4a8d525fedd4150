namespace MnistMl.Torch.Optim;

/// <summary>
/// Adadelta (Zeiler): scales the gradient by the ratio of running RMS of past updates and of past gradients;
/// torch.optim.Adadelta's single-tensor algorithm.
/// </summary>
public sealed class Adadelta : Optimizer
{
    private const string SquareAvg = "square_avg";
    private const string AccDelta = "acc_delta";

    public Adadelta(IEnumerable<Tensor> parameters, double learningRate = 1.0, double rho = 0.9, double epsilon = 1e-6,
        double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Configure(rho, epsilon, weightDecay);
    }

    public double Rho { get; private set; }
    public double Epsilon { get; private set; }
    public double WeightDecay { get; private set; }

    private void Configure(double rho, double epsilon, double weightDecay)
    {
        HyperParameter.Coefficient(rho, nameof(rho));
        HyperParameter.NonNegative(epsilon, nameof(epsilon));
        HyperParameter.NonNegative(weightDecay, nameof(weightDecay));
        (Rho, Epsilon, WeightDecay) = (rho, epsilon, weightDecay);
    }

    protected override IReadOnlyList<string> StateNames => [SquareAvg, AccDelta];

    protected override void InitializeState(ParameterState state, Tensor parameter)
    {
        state.Set(SquareAvg, torch.ZerosLike(parameter));
        state.Set(AccDelta, torch.ZerosLike(parameter));
    }

    protected override void Update(Tensor parameter, Tensor gradient, ParameterState state)
    {
        if (WeightDecay != 0) gradient = gradient.Add(parameter, WeightDecay);
        var squareAvg = state[SquareAvg].Mul_(Rho).Addcmul_(gradient, gradient, 1 - Rho);
        var accDelta = state[AccDelta];
        var std = (squareAvg + Epsilon).Sqrt_();
        var delta = (accDelta + Epsilon).Sqrt_().Div_(std).Mul_(gradient);
        accDelta.Mul_(Rho).Addcmul_(delta, delta, 1 - Rho);
        parameter.Add_(delta, -LearningRate);
    }

    protected override IReadOnlyDictionary<string, double> GetHyperParameters() => new Dictionary<string, double>
    {
        ["rho"] = Rho,
        ["eps"] = Epsilon,
        ["weight_decay"] = WeightDecay,
    };

    protected override void SetHyperParameters(IReadOnlyDictionary<string, double> values) =>
        Configure(values["rho"], values["eps"], values["weight_decay"]);
}
