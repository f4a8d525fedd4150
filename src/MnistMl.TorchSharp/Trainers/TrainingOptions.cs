using System.Text.Json.Serialization;
using MnistMl.Trainers.Callbacks;

namespace MnistMl.Trainers;

/// <summary>
/// How a network is trained, with Keras' names and defaults (batch size 32, one epoch, shuffling each epoch,
/// categorical cross-entropy).
/// </summary>
public sealed record TrainingOptions
{
    public OptimizerSpec Optimizer { get; init; } = new();

    /// <summary>"categorical_crossentropy" (from the output layer's logits) or "mse" (softmax output vs one-hot labels).</summary>
    public string Loss { get; init; } = "categorical_crossentropy";

    public int BatchSize { get; init; } = 32;
    public int Epochs { get; init; } = 1;

    /// <summary>Reshuffle the training rows before every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Holds out this fraction of the training data for validation when no validation data is given
    /// (Keras' validation_split, but stratified and random rather than the last rows).
    /// </summary>
    public double? ValidationFraction { get; init; }

    /// <summary>Seeds initialization, dropout, shuffling and the validation split; null draws a seed.</summary>
    public int? Seed { get; init; }

    /// <summary>libtorch intra-op threads for this run; null keeps the current setting.</summary>
    public int? Threads { get; init; }

    public double LabelSmoothing { get; init; }

    /// <summary>Random shifts, rotations, zoom and flips of each training batch (Keras' ImageDataGenerator); null: none.</summary>
    public ImageAugmentation? Augmentation { get; init; }

    public List<Callback> Callbacks { get; init; } = [];

    /// <summary>
    /// A folder where training writes a checkpoint after every epoch (one file, replaced atomically): weights,
    /// optimizer state, History, callback and random-generator state. It must not hold a checkpoint already,
    /// unless <see cref="ResumeFromCheckpoint"/> is set. A setting of the run, not of the model: never saved with it.
    /// </summary>
    [JsonIgnore]
    public string? CheckpointDirectory { get; init; }

    /// <summary>The file a checkpoint folder holds.</summary>
    public const string CheckpointFileName = "checkpoint.zip";

    /// <summary>
    /// Continue the run whose checkpoint <see cref="CheckpointDirectory"/> holds: the same network, data and
    /// settings (checked), the same seed, and from the epoch after the checkpoint's; the result equals an
    /// uninterrupted run. More epochs than the first run asked for may be given.
    /// </summary>
    [JsonIgnore]
    public bool ResumeFromCheckpoint { get; init; }

    public static IReadOnlyList<string> Losses { get; } = ["categorical_crossentropy", "mse"];

    /// <summary>Rejects impossible settings before any training starts; errors name the option.</summary>
    public void Validate()
    {
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be positive.");
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "The number of epochs must be positive.");
        if (!Losses.Contains(Loss)) throw new ArgumentException($"Unknown loss '{Loss}'. Known: {string.Join(", ", Losses)}.", nameof(Loss));
        if (ValidationFraction is { } f && !(f > 0 && f < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), f, "The validation fraction must be strictly between 0 and 1.");
        if (Threads is { } t && t < 1) throw new ArgumentOutOfRangeException(nameof(Threads), t, "The thread count must be at least 1.");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "Label smoothing must be in [0, 1).");
        if (ResumeFromCheckpoint && CheckpointDirectory is null)
            throw new ArgumentException("Resuming needs the checkpoint folder (CheckpointDirectory).", nameof(CheckpointDirectory));
        if (CheckpointDirectory is { } folder && File.Exists(folder))
            throw new ArgumentException($"The checkpoint folder '{folder}' is a file.", nameof(CheckpointDirectory));
        Augmentation?.Validate();
        Optimizer.Validate();
    }
}
