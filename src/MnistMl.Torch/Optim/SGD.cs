namespace MnistMl.Torch.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay
/// (torch.optim.SGD), plus Keras' legacy time-based <c>decay</c>: step t (0, 1, 2, … counting earlier steps)
/// uses the learning rate LearningRate / (1 + decay · t).
/// </summary>
public sealed class SGD : Optimizer
{
    private const string MomentumBuffer = "momentum_buffer";

    public SGD(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, double decay = 0)
        : base(parameters, learningRate)
    {
        Configure(momentum, dampening, weightDecay, nesterov, decay);
    }

    public double Momentum { get; private set; }
    public double Dampening { get; private set; }
    public double WeightDecay { get; private set; }
    public bool Nesterov { get; private set; }

    /// <summary>Keras' legacy time-based learning-rate decay (0: none).</summary>
    public double Decay { get; private set; }

    /// <summary>The learning rate the next step uses: LearningRate / (1 + Decay · StepCount).</summary>
    public double CurrentLearningRate => LearningRate / (1 + Decay * StepCount);

    private void Configure(double momentum, double dampening, double weightDecay, bool nesterov, double decay)
    {
        HyperParameter.NonNegative(momentum, nameof(momentum));
        HyperParameter.Fraction(dampening, nameof(dampening));
        HyperParameter.NonNegative(weightDecay, nameof(weightDecay));
        HyperParameter.NonNegative(decay, nameof(decay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException(
                $"Nesterov momentum requires a momentum above 0 and zero dampening (momentum = {momentum}, dampening = {dampening}).", nameof(nesterov));
        (Momentum, Dampening, WeightDecay, Nesterov, Decay) = (momentum, dampening, weightDecay, nesterov, decay);
    }

    protected override IReadOnlyList<string> StateNames => Momentum != 0 ? [MomentumBuffer] : [];

    protected override void Update(Tensor parameter, Tensor gradient, ParameterState state)
    {
        double learningRate = CurrentLearningRate;
        var direction = gradient;
        if (WeightDecay != 0) direction = direction.Add(parameter, WeightDecay);
        if (Momentum != 0)
        {
            Tensor buffer;
            if (!state.Contains(MomentumBuffer))
                buffer = state.Set(MomentumBuffer, direction.Clone());
            else
                buffer = state[MomentumBuffer].Mul_(Momentum).Add_(direction, 1 - Dampening);
            direction = Nesterov ? direction.Add(buffer, Momentum) : buffer;
        }
        parameter.Add_(direction, -learningRate);
    }

    protected override IReadOnlyDictionary<string, double> GetHyperParameters() => new Dictionary<string, double>
    {
        ["momentum"] = Momentum,
        ["dampening"] = Dampening,
        ["weight_decay"] = WeightDecay,
        ["nesterov"] = Nesterov ? 1 : 0,
        ["decay"] = Decay,
    };

    protected override void SetHyperParameters(IReadOnlyDictionary<string, double> values) =>
        Configure(values["momentum"], values["dampening"], values["weight_decay"], values["nesterov"] != 0, values["decay"]);
}
