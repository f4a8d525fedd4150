namespace MnistMl.Trainers.Callbacks;

/// <summary>
/// Keras ModelCheckpoint: writes the network's weights (state_dict file) after an epoch — with
/// <see cref="SaveBestOnly"/>, only when <see cref="Monitor"/> improved. The write is atomic.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private double best;

    public string FilePath { get; init; } = "checkpoint.mnml";
    public string Monitor { get; init; } = "val_loss";
    public bool SaveBestOnly { get; init; } = true;
    public string Mode { get; init; } = "auto";

    /// <summary>The epoch last written (1-based), 0 if none.</summary>
    public int SavedEpoch { get; private set; }

    public override void Validate(bool hasValidation)
    {
        if (string.IsNullOrWhiteSpace(FilePath)) throw new ArgumentException("ModelCheckpoint: file_path is empty.", nameof(FilePath));
        MonitorMode.Check(Monitor, hasValidation, "ModelCheckpoint");
        MonitorMode.Maximize(Mode, Monitor);
    }

    public override void OnTrainBegin(TrainingState state)
    {
        best = MonitorMode.Maximize(Mode, Monitor) ? double.NegativeInfinity : double.PositiveInfinity;
        SavedEpoch = 0;
    }

    public override void OnEpochEnd(TrainingState state, EpochMetrics metrics)
    {
        double current = metrics.Get(Monitor)!.Value;
        if (SaveBestOnly && !MonitorMode.Improved(current, best, 0, MonitorMode.Maximize(Mode, Monitor))) return;
        best = current;
        state.Network.Save(FilePath);
        SavedEpoch = metrics.Epoch;
    }
}
