using System.Text.Json.Nodes;
using MnistMl.Trainers;

namespace MnistMl.Experiments;

/// <summary>
/// One line of a results file: a finished trial (<see cref="Kind"/> "trial") with its settings, every fold's
/// metrics, their mean and standard deviation, the selection score, its time and each fold's History; or the
/// refitted best trial's test evaluation (<see cref="Kind"/> "refit").
/// </summary>
public sealed record TrialRecord
{
    public string Kind { get; init; } = "trial";
    public string Experiment { get; init; } = "";
    public string Fingerprint { get; init; } = "";
    public int Trial { get; init; }
    public string Hash { get; init; } = "";
    public Dictionary<string, JsonNode?> Settings { get; init; } = [];

    /// <summary>The selection metric's name, and its mean over the folds (null when training diverged).</summary>
    public string Metric { get; init; } = "accuracy";
    public double? Score { get; init; }

    /// <summary>Each fold's metrics by name (accuracy, macro_accuracy, macro_f1, weighted_f1, top_k_accuracy, log_loss).</summary>
    public List<Dictionary<string, double>> Folds { get; init; } = [];
    public Dictionary<string, double> Mean { get; init; } = [];

    /// <summary>Standard deviation over the folds (divided by n, as GridSearchCV's std_test_score); 0 for one fold.</summary>
    public Dictionary<string, double> Std { get; init; } = [];

    /// <summary>Test-set metrics of the refitted model (refit lines only).</summary>
    public Dictionary<string, double>? Test { get; init; }

    public double Seconds { get; init; }
    public List<List<EpochMetrics>> Histories { get; init; } = [];

    /// <summary>Null, or why a fold did not finish normally (divergence).</summary>
    public string? Note { get; init; }
    public string? Shard { get; init; }
    public DateTimeOffset Finished { get; init; }
}
