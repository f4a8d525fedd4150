namespace MnistMl.Trainers.Callbacks;

/// <summary>
/// Keras EarlyStopping: stops when <see cref="MonitorCallback.Monitor"/> has not improved by more than
/// <see cref="MinDelta"/> for <see cref="Patience"/> epochs; with <see cref="RestoreBestWeights"/>, the weights of the
/// best epoch are put back when training ends.
/// </summary>
public sealed class EarlyStopping : MonitorCallback
{
    private int wait;
    private int bestEpoch;
    private Dictionary<string, TorchSharp.torch.Tensor>? bestWeights;

    public double MinDelta { get; init; }
    public int Patience { get; init; }
    public bool RestoreBestWeights { get; init; }

    public override void Validate(bool hasValidation)
    {
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "EarlyStopping: patience must not be negative.");
        if (!(MinDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "EarlyStopping: min_delta must not be negative.");
        ValidateMonitor(hasValidation, "EarlyStopping");
    }

    public override void OnTrainBegin(TrainingState state)
    {
        base.OnTrainBegin(state);
        wait = 0;
        bestEpoch = 0;
        ReleaseWeights();
    }

    public override void OnEpochEnd(TrainingState state, EpochMetrics metrics)
    {
        if (Improve(Current(metrics), MinDelta))
        {
            bestEpoch = metrics.Epoch;
            wait = 0;
            if (RestoreBestWeights)
            {
                ReleaseWeights();
                bestWeights = state.CopyWeights();
            }
            return;
        }
        if (++wait >= Patience)
            state.Stop($"EarlyStopping: {Monitor} has not improved for {Patience} epochs after epoch {bestEpoch} ({Best:G6}).");
    }

    public override void OnTrainEnd(TrainingState state)
    {
        if (RestoreBestWeights && bestWeights is not null && bestEpoch != state.History.Epochs[^1].Epoch)
            state.RestoreWeights(bestWeights, bestEpoch);
        ReleaseWeights();
    }

    public override CallbackState? SaveState()
    {
        var state = base.SaveState()!;
        state.Values["wait"] = wait;
        state.Values["best_epoch"] = bestEpoch;
        state.Weights = bestWeights;
        return state;
    }

    public override void LoadState(CallbackState state)
    {
        base.LoadState(state);
        wait = (int)state.Get("wait");
        bestEpoch = (int)state.Get("best_epoch");
        ReleaseWeights();
        bestWeights = state.Weights;
    }

    private void ReleaseWeights()
    {
        if (bestWeights is null) return;
        foreach (var t in bestWeights.Values) t.Dispose();
        bestWeights = null;
    }
}
