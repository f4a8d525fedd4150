namespace MnistMl.Trainers.Callbacks;

/// <summary>
/// Keras ReduceLROnPlateau: when <see cref="MonitorCallback.Monitor"/> has not improved for <see cref="Patience"/>
/// epochs, the learning rate is multiplied by <see cref="Factor"/> (not below <see cref="MinLr"/>), then
/// <see cref="Cooldown"/> epochs pass before waiting starts again.
/// </summary>
public sealed class ReduceLROnPlateau : MonitorCallback
{
    private int wait;
    private int cooldownLeft;

    public double Factor { get; init; } = 0.1;
    public int Patience { get; init; } = 10;
    public double MinDelta { get; init; } = 1e-4;
    public int Cooldown { get; init; }
    public double MinLr { get; init; }

    public override void Validate(bool hasValidation)
    {
        if (!(Factor > 0 && Factor < 1)) throw new ArgumentOutOfRangeException(nameof(Factor), Factor, "ReduceLROnPlateau: factor must be in (0, 1).");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "ReduceLROnPlateau: patience must not be negative.");
        if (Cooldown < 0) throw new ArgumentOutOfRangeException(nameof(Cooldown), Cooldown, "ReduceLROnPlateau: cooldown must not be negative.");
        if (!(MinLr >= 0)) throw new ArgumentOutOfRangeException(nameof(MinLr), MinLr, "ReduceLROnPlateau: min_lr must not be negative.");
        ValidateMonitor(hasValidation, "ReduceLROnPlateau");
    }

    public override void OnTrainBegin(TrainingState state)
    {
        base.OnTrainBegin(state);
        wait = 0;
        cooldownLeft = 0;
    }

    public override void OnEpochEnd(TrainingState state, EpochMetrics metrics)
    {
        if (cooldownLeft > 0)
        {
            cooldownLeft--;
            wait = 0;
        }
        if (Improve(Current(metrics), MinDelta))
        {
            wait = 0;
        }
        else if (cooldownLeft == 0 && ++wait >= Patience)
        {
            double reduced = Math.Max(state.LearningRate * Factor, MinLr);
            if (reduced < state.LearningRate)
            {
                state.LearningRate = reduced;
                state.Log($"ReduceLROnPlateau: learning rate reduced to {reduced:G4} after epoch {metrics.Epoch}.");
            }
            cooldownLeft = Cooldown;
            wait = 0;
        }
    }

    public override CallbackState? SaveState()
    {
        var state = base.SaveState()!;
        state.Values["wait"] = wait;
        state.Values["cooldown_left"] = cooldownLeft;
        return state;
    }

    public override void LoadState(CallbackState state)
    {
        base.LoadState(state);
        wait = (int)state.Get("wait");
        cooldownLeft = (int)state.Get("cooldown_left");
    }
}
