using static TorchSharp.torch;

namespace MnistMl.Trainers.Callbacks;

/// <summary>
/// What a callback carries from one epoch to the next — its counters and best values by name, and for callbacks
/// that keep weights (EarlyStopping's best ones) a state dict — so that a training checkpoint can hold it and a
/// resumed run continues as if it had never stopped.
/// </summary>
public sealed class CallbackState
{
    public Dictionary<string, double> Values { get; init; } = [];

    /// <summary>Weights the callback keeps; a checkpoint writes them as they are, and a loaded state hands them to the callback.</summary>
    public Dictionary<string, Tensor>? Weights { get; set; }

    /// <summary>A named value; a state without it was not written by this callback.</summary>
    public double Get(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new InvalidDataException($"The callback state has no value '{name}'.");
}
