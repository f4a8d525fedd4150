namespace MnistMl.Torch.Optim;

/// <summary>
/// Adagrad (Duchi et al.): divides the gradient by the root of the sum of all past squared gradients;
/// step t uses lr / (1 + (t − 1)·learningRateDecay). torch.optim.Adagrad's single-tensor algorithm (dense gradients).
/// </summary>
public sealed class Adagrad : Optimizer
{
    private const string Sum = "sum";

    public Adagrad(IEnumerable<Tensor> parameters, double learningRate = 1e-2, double learningRateDecay = 0,
        double weightDecay = 0, double initialAccumulatorValue = 0, double epsilon = 1e-10)
        : base(parameters, learningRate)
    {
        Configure(learningRateDecay, weightDecay, initialAccumulatorValue, epsilon);
    }

    public double LearningRateDecay { get; private set; }
    public double WeightDecay { get; private set; }
    public double InitialAccumulatorValue { get; private set; }
    public double Epsilon { get; private set; }

    private void Configure(double learningRateDecay, double weightDecay, double initialAccumulatorValue, double epsilon)
    {
        HyperParameter.NonNegative(learningRateDecay, nameof(learningRateDecay));
        HyperParameter.NonNegative(weightDecay, nameof(weightDecay));
        HyperParameter.NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        HyperParameter.NonNegative(epsilon, nameof(epsilon));
        (LearningRateDecay, WeightDecay, InitialAccumulatorValue, Epsilon) = (learningRateDecay, weightDecay, initialAccumulatorValue, epsilon);
    }

    protected override IReadOnlyList<string> StateNames => [Sum];

    protected override void InitializeState(ParameterState state, Tensor parameter) =>
        state.Set(Sum, torch.FullLike(parameter, InitialAccumulatorValue));

    protected override void Update(Tensor parameter, Tensor gradient, ParameterState state)
    {
        if (WeightDecay != 0) gradient = gradient.Add(parameter, WeightDecay);
        double clr = LearningRate / (1 + (state.Step - 1) * LearningRateDecay);
        var sum = state[Sum].Addcmul_(gradient, gradient, 1);
        var std = sum.Sqrt().Add_(Epsilon);
        parameter.Addcdiv_(gradient, std, -clr);
    }

    protected override IReadOnlyDictionary<string, double> GetHyperParameters() => new Dictionary<string, double>
    {
        ["lr_decay"] = LearningRateDecay,
        ["weight_decay"] = WeightDecay,
        ["initial_accumulator_value"] = InitialAccumulatorValue,
        ["eps"] = Epsilon,
    };

    protected override void SetHyperParameters(IReadOnlyDictionary<string, double> values) =>
        Configure(values["lr_decay"], values["weight_decay"], values["initial_accumulator_value"], values["eps"]);
}
