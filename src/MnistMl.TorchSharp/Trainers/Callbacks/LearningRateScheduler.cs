using System.Text.Json.Serialization;

namespace MnistMl.Trainers.Callbacks;

/// <summary>
/// Keras LearningRateScheduler: before each epoch the learning rate becomes schedule(epochIndex, currentLr).
/// From JSON: <see cref="Schedule"/> "step" (initial · <see cref="Factor"/>^⌊epoch / <see cref="StepSize"/>⌋),
/// "exponential" (initial · Factor^epoch) or "piecewise" (<see cref="Boundaries"/>/<see cref="Factors"/>: after
/// boundary i the rate is initial · Factors[i+1]; with <see cref="Compound"/> the factor multiplies the current
/// rate every epoch instead, as a Keras schedule function written as <c>lr *= factor</c> does — seed 004's).
/// From C#: any function of (epoch index, lr).
/// </summary>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, double, double>? function;
    private double initial;

    public LearningRateScheduler() { }

    /// <summary>A schedule written as code: (0-based epoch, current learning rate) → learning rate.</summary>
    public LearningRateScheduler(Func<int, double, double> schedule) => function = schedule;

    public string Schedule { get; init; } = "step";
    public double Factor { get; init; } = 0.5;
    public int StepSize { get; init; } = 10;
    public int[] Boundaries { get; init; } = [];
    public double[] Factors { get; init; } = [];
    public bool Compound { get; init; }

    [JsonIgnore]
    public bool IsFunction => function is not null;

    public override void Validate(bool hasValidation)
    {
        if (function is not null) return;
        switch (Schedule.ToLowerInvariant())
        {
            case "step":
                if (StepSize <= 0) throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, "LearningRateScheduler: step_size must be positive.");
                goto case "exponential";
            case "exponential":
                if (!(Factor > 0)) throw new ArgumentOutOfRangeException(nameof(Factor), Factor, "LearningRateScheduler: factor must be positive.");
                break;
            case "piecewise":
                if (Factors.Length != Boundaries.Length + 1)
                    throw new ArgumentException($"LearningRateScheduler: {Boundaries.Length} boundaries need {Boundaries.Length + 1} factors, not {Factors.Length}.", nameof(Factors));
                if (Factors.Any(f => !(f > 0))) throw new ArgumentOutOfRangeException(nameof(Factors), "LearningRateScheduler: every factor must be positive.");
                if (!Boundaries.SequenceEqual(Boundaries.Order())) throw new ArgumentException("LearningRateScheduler: boundaries must ascend.", nameof(Boundaries));
                break;
            default:
                throw new ArgumentException($"LearningRateScheduler: unknown schedule '{Schedule}'; use step, exponential or piecewise.", nameof(Schedule));
        }
    }

    public override void OnTrainBegin(TrainingState state) => initial = state.LearningRate;

    public override CallbackState? SaveState() => new() { Values = { ["initial"] = initial } };

    public override void LoadState(CallbackState state) => initial = state.Get("initial");

    public override void OnEpochBegin(TrainingState state, int epochIndex)
    {
        double next = LearningRateFor(epochIndex, state.LearningRate, initial);
        if (!(next > 0) || !double.IsFinite(next))
            throw new InvalidOperationException($"LearningRateScheduler gave learning rate {next} for epoch {epochIndex + 1}; it must be a finite number greater than 0.");
        state.LearningRate = next;
    }

    /// <summary>The learning rate for an epoch (0-based) given the current one and the one training started with.</summary>
    public double LearningRateFor(int epochIndex, double current, double initial)
    {
        if (function is not null) return function(epochIndex, current);
        switch (Schedule.ToLowerInvariant())
        {
            case "step": return initial * Math.Pow(Factor, epochIndex / StepSize);
            case "exponential": return initial * Math.Pow(Factor, epochIndex);
            default:
                int segment = Boundaries.Count(b => epochIndex > b);
                return Compound ? current * Factors[segment] : initial * Factors[segment];
        }
    }
}
