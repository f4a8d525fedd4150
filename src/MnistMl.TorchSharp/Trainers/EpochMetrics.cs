namespace MnistMl.Trainers;

/// <summary>One epoch of training as Keras' History records it (plus learning rate and wall time).</summary>
public sealed record EpochMetrics(int Epoch, double Loss, double Accuracy, double? ValidationLoss, double? ValidationAccuracy,
    double LearningRate, double Seconds)
{
    /// <summary>A logged value by Keras name: loss, accuracy, val_loss, val_accuracy, lr.</summary>
    public double? Get(string name) => name switch
    {
        "loss" => Loss,
        "accuracy" or "acc" => Accuracy,
        "val_loss" => ValidationLoss,
        "val_accuracy" or "val_acc" => ValidationAccuracy,
        "lr" or "learning_rate" => LearningRate,
        _ => throw new ArgumentException($"Unknown metric '{name}'. Known: loss, accuracy, val_loss, val_accuracy, lr.", nameof(name)),
    };
}

/// <summary>Keras' History: the metrics of every epoch run, and why training stopped.</summary>
public sealed class History
{
    public List<EpochMetrics> Epochs { get; init; } = [];

    /// <summary>Null when all epochs ran; otherwise early stopping's or divergence's explanation.</summary>
    public string? StopReason { get; set; }

    /// <summary>True when a NaN or infinite loss stopped training.</summary>
    public bool Diverged { get; set; }

    /// <summary>The epoch (1-based) whose weights the model holds when they were restored from a better epoch.</summary>
    public int? RestoredEpoch { get; set; }
}
