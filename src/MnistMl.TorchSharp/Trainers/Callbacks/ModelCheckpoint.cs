using MnistMl.IO;
namespace MnistMl.Trainers.Callbacks;

/// <summary>
/// Keras ModelCheckpoint: writes the network's weights (state_dict file) after an epoch — with
/// <see cref="SaveBestOnly"/>, only when <see cref="MonitorCallback.Monitor"/> improved. The write is atomic.
/// </summary>
public sealed class ModelCheckpoint : MonitorCallback
{
    public string FilePath { get; init; } = "checkpoint.weights";
    public bool SaveBestOnly { get; init; } = true;

    /// <summary>The epoch last written (1-based), 0 if none.</summary>
    public int SavedEpoch { get; private set; }

    public override void Validate(bool hasValidation)
    {
        if (string.IsNullOrWhiteSpace(FilePath)) throw new ArgumentException("ModelCheckpoint: file_path is empty.", nameof(FilePath));
        ValidateMonitor(hasValidation, "ModelCheckpoint");
    }

    public override void OnTrainBegin(TrainingState state)
    {
        base.OnTrainBegin(state);
        SavedEpoch = 0;
    }

    public override void OnEpochEnd(TrainingState state, EpochMetrics metrics)
    {
        if (!Improve(Current(metrics), 0) && SaveBestOnly) return;
        AtomicFile.WriteAllBytes(FilePath, state.Network.SaveToBytes());
        SavedEpoch = metrics.Epoch;
    }

    public override CallbackState? SaveState()
    {
        var state = base.SaveState()!;
        state.Values["saved_epoch"] = SavedEpoch;
        return state;
    }

    public override void LoadState(CallbackState state)
    {
        base.LoadState(state);
        SavedEpoch = (int)state.Get("saved_epoch");
    }
}
