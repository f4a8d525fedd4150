using MnistMl.Trainers.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Trainers;

/// <summary>What callbacks see and may change while a network trains: the learning rate, stopping, the weights.</summary>
public sealed class TrainingState
{
    private readonly Action<string> log;

    internal TrainingState(Network network, KerasOptimizer optimizer, History history, Action<string> log)
    {
        Network = network;
        Optimizer = optimizer;
        History = history;
        this.log = log;
    }

    public Network Network { get; }
    public KerasOptimizer Optimizer { get; }
    public History History { get; }

    public double LearningRate
    {
        get => Optimizer.LearningRate;
        set => Optimizer.LearningRate = value;
    }

    /// <summary>Set by <see cref="Stop"/>; training ends after the current epoch.</summary>
    public bool StopTraining { get; private set; }

    public void Stop(string reason)
    {
        StopTraining = true;
        History.StopReason ??= reason;
    }

    /// <summary>Reports a message through the trainer's log (the CLI prints it).</summary>
    public void Log(string message) => log(message);

    /// <summary>A copy of every parameter and buffer (the caller disposes it).</summary>
    public Dictionary<string, Tensor> CopyWeights()
    {
        // The detached views die with this scope; only the clones leave it.
        using var scope = torch.NewDisposeScope();
        return Network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>Puts saved weights back and records which epoch they came from.</summary>
    public void RestoreWeights(IReadOnlyDictionary<string, Tensor> weights, int epoch)
    {
        Network.load_state_dict(weights.ToDictionary(p => p.Key, p => p.Value));
        History.RestoredEpoch = epoch;
        Log($"Restored the weights of epoch {epoch}.");
    }
}
