using System.Text.Json.Serialization;

namespace MnistMl.Trainers.Callbacks;

/// <summary>
/// Hooks into training with Keras' semantics (epochs are 1-based in <see cref="EpochMetrics"/>, 0-based where
/// Keras passes an index). The built-in callbacks serialize to JSON ("type" + arguments) for pipeline files;
/// state is reset at the start of each training run, so one instance can serve several fits.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(EarlyStopping), "EarlyStopping")]
[JsonDerivedType(typeof(ReduceLROnPlateau), "ReduceLROnPlateau")]
[JsonDerivedType(typeof(LearningRateScheduler), "LearningRateScheduler")]
[JsonDerivedType(typeof(ModelCheckpoint), "ModelCheckpoint")]
public abstract class Callback
{
    /// <summary>Checks the arguments against the run (e.g. a monitored val_* metric needs validation data).</summary>
    public virtual void Validate(bool hasValidation) { }

    public virtual void OnTrainBegin(TrainingState state) { }

    /// <summary>Before epoch <paramref name="epochIndex"/> (0-based, as Keras passes it).</summary>
    public virtual void OnEpochBegin(TrainingState state, int epochIndex) { }

    public virtual void OnBatchEnd(TrainingState state, int epochIndex, int batchIndex, double loss) { }

    public virtual void OnEpochEnd(TrainingState state, EpochMetrics metrics) { }

    public virtual void OnTrainEnd(TrainingState state) { }

    /// <summary>
    /// The state this callback carries between epochs, for training checkpoints (null: none). Its weights are
    /// written as they are, neither copied nor disposed.
    /// </summary>
    public virtual CallbackState? SaveState() => null;

    /// <summary>When training resumes from a checkpoint: puts back what <see cref="SaveState"/> gave, after OnTrainBegin; the callback owns the state's weights from then on.</summary>
    public virtual void LoadState(CallbackState state) { }
}

/// <summary>Whether a monitored quantity should go down ("min"), up ("max"), or "auto" (up for accuracies).</summary>
internal static class MonitorMode
{
    public static bool Maximize(string mode, string monitor) => mode.ToLowerInvariant() switch
    {
        "min" => false,
        "max" => true,
        "auto" => monitor.Contains("acc", StringComparison.OrdinalIgnoreCase),
        _ => throw new ArgumentException($"Unknown mode '{mode}'; use min, max or auto.", nameof(mode)),
    };

    public static void Check(string monitor, bool hasValidation, string callback)
    {
        _ = new EpochMetrics(0, 0, 0, 0, 0, 0, 0).Get(monitor);
        if (monitor.StartsWith("val_", StringComparison.Ordinal) && !hasValidation)
            throw new ArgumentException($"{callback} monitors '{monitor}', but training has no validation data: give validation data or a validation fraction, or monitor 'loss'.");
    }

    /// <summary>True when <paramref name="current"/> beats <paramref name="best"/> by more than minDelta.</summary>
    public static bool Improved(double current, double best, double minDelta, bool maximize) =>
        maximize ? current > best + minDelta : current < best - minDelta;
}
