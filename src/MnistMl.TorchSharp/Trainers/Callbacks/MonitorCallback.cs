namespace MnistMl.Trainers.Callbacks;

/// <summary>
/// Base of the callbacks that watch one logged metric (Keras' monitor and mode): it keeps the best value seen
/// in the run and says whether a new value improves on it by more than a margin.
/// </summary>
public abstract class MonitorCallback : Callback
{
    private double best;

    /// <summary>loss, accuracy, val_loss or val_accuracy.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>min, max, or auto (max for accuracies).</summary>
    public string Mode { get; init; } = "auto";

    /// <summary>The best value of the run so far.</summary>
    protected double Best => best;

    protected bool Maximize => MonitorMode.Maximize(Mode, Monitor);

    /// <summary>Checks the monitored metric against the run; <paramref name="callback"/> names this callback in errors.</summary>
    protected void ValidateMonitor(bool hasValidation, string callback)
    {
        MonitorMode.Check(Monitor, hasValidation, callback);
        _ = Maximize;
    }

    public override void OnTrainBegin(TrainingState state) => best = Maximize ? double.NegativeInfinity : double.PositiveInfinity;

    public override CallbackState? SaveState() => new() { Values = { ["best"] = best } };

    public override void LoadState(CallbackState state) => best = state.Get("best");

    /// <summary>The monitored value of an epoch.</summary>
    protected double Current(EpochMetrics metrics) => metrics.Get(Monitor)!.Value;

    /// <summary>True (and the value becomes the best) when <paramref name="current"/> beats the best by more than <paramref name="minDelta"/>.</summary>
    protected bool Improve(double current, double minDelta)
    {
        if (!MonitorMode.Improved(current, best, minDelta, Maximize)) return false;
        best = current;
        return true;
    }
}
