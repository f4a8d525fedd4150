using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MnistMl.Pipelines;

namespace MnistMl.Experiments;

/// <summary>
/// A search as a JSON file (pipelines/experiments/*.json), or built in C#: a base pipeline, fixed overrides, a
/// search space over any of its settings (<see cref="SettingPath"/>), grid or random search, and how trials are
/// compared (<see cref="SelectionSection"/>).
/// </summary>
public sealed record ExperimentDefinition
{
    public string Name { get; init; } = "experiment";
    public string? Description { get; init; }

    /// <summary>The base pipeline (a file's JSON is read into it by <see cref="Load"/>).</summary>
    public PipelineDefinition Pipeline { get; init; } = new();

    /// <summary>Settings every trial gets (e.g. fewer epochs than the base pipeline's), by setting path.</summary>
    public Dictionary<string, JsonNode?> Overrides { get; init; } = [];

    /// <summary>"grid" (every combination, in the order the settings are listed) or "random".</summary>
    public string Search { get; init; } = "grid";

    /// <summary>Random search: the number of trials drawn.</summary>
    public int? Trials { get; init; }

    /// <summary>Random search: the seed of the draws.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The values each searched setting takes, by setting path, in order.</summary>
    public Dictionary<string, SearchDimension> Space { get; init; } = [];

    public SelectionSection Selection { get; init; } = new();

    public static JsonSerializerOptions JsonOptions => PipelineDefinition.JsonOptions;

    /// <summary>
    /// What identifies the experiment in a results file: a hash of its base pipeline, overrides and selection (not
    /// of its space, which may grow: trials already run still count).
    /// </summary>
    [JsonIgnore]
    public string Fingerprint
    {
        get
        {
            var identity = new JsonObject
            {
                ["name"] = Name,
                ["pipeline"] = JsonNode.Parse(Pipeline.ToJson()),
                ["overrides"] = JsonSerializer.SerializeToNode(Overrides, JsonOptions),
                ["selection"] = JsonSerializer.SerializeToNode(Selection, JsonOptions),
            };
            return Hash(identity.ToJsonString());
        }
    }

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>Reads an experiment file; its "pipeline" is a pipeline file's path (relative to the experiment file) or a pipeline inline.</summary>
    public static ExperimentDefinition Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Experiment file '{path}' does not exist.", path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Experiment file '{path}' is not valid JSON: {e.Message}", e);
        }
        if (root["pipeline"] is JsonValue reference && reference.TryGetValue(out string? pipelinePath))
        {
            string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, pipelinePath));
            root["pipeline"] = JsonNode.Parse(PipelineDefinition.Load(full).ToJson());
        }
        try
        {
            var experiment = root.Deserialize<ExperimentDefinition>(JsonOptions) ?? throw new JsonException("the file is empty");
            experiment.Validate();
            return experiment;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Experiment file '{path}' is not valid: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Experiment file '{path}': {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Rejects an unusable search before any training: errors name the setting or option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("The experiment needs a name.");
        if (Search is not ("grid" or "random")) throw new ArgumentException($"search must be \"grid\" or \"random\", not \"{Search}\".");
        if (Space.Count == 0) throw new ArgumentException($"Experiment '{Name}' has an empty search space: list at least one setting and its values under \"space\".");
        foreach (var (setting, dimension) in Space)
        {
            SettingPath.ParseLinked(setting);
            dimension.Validate(setting);
            if (Search == "grid" && dimension.GridValues is null)
                throw new ArgumentException($"Setting '{setting}' is a continuous range, which a grid cannot enumerate: list its values or use \"search\": \"random\".");
        }
        foreach (var setting in Overrides.Keys) SettingPath.ParseLinked(setting);
        var paths = Space.Keys.Concat(Overrides.Keys).SelectMany(SettingPath.ParseLinked).Select(p => p.Text).ToList();
        if (paths.Distinct().Count() != paths.Count)
            throw new ArgumentException($"Setting '{paths.GroupBy(p => p).First(g => g.Count() > 1).Key}' is given twice (searched and fixed, or in two linked settings).");
        foreach (var a in paths)
            foreach (var b in paths)
                if (a != b && (b.StartsWith(a + ".", StringComparison.Ordinal) || b.StartsWith(a + "[", StringComparison.Ordinal)))
                    throw new ArgumentException($"Settings '{a}' and '{b}' contradict each other: the first replaces what the second sets.");
        if (Search == "random" && Trials is not > 0) throw new ArgumentException("Random search needs \"trials\": the number of trials to draw (at least 1).");
        if (Search == "grid" && Trials is not null) throw new ArgumentException("\"trials\" is for random search; a grid runs every combination.");
        Selection.Validate();
    }
}

/// <summary>
/// How trials are compared: a metric measured on held-out rows of the training data — <see cref="Folds"/>-fold
/// stratified cross-validation (the mean over the folds, as scikit-learn's GridSearchCV) or one stratified
/// <see cref="ValidationFraction"/> — never on the test set, which only the refitted best trial meets, once.
/// </summary>
public sealed record SelectionSection
{
    /// <summary>accuracy, macro_accuracy, macro_f1, weighted_f1, top_k_accuracy (higher is better) or log_loss (lower is better).</summary>
    public string Metric { get; init; } = "accuracy";

    /// <summary>Stratified k-fold cross-validation with this many folds (2 or more).</summary>
    public int? Folds { get; init; }

    /// <summary>Without folds: hold out this stratified fraction of the training rows to score each trial.</summary>
    public double? ValidationFraction { get; init; }

    /// <summary>Seed of the folds or the held-out rows (the same for every trial).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>After the search, fit the best trial on all training rows and evaluate it once on the test set.</summary>
    public bool Refit { get; init; } = true;

    public static IReadOnlyList<string> Metrics { get; } = ["accuracy", "macro_accuracy", "macro_f1", "weighted_f1", "top_k_accuracy", "log_loss"];

    public bool HigherIsBetter => Metric != "log_loss";

    public void Validate()
    {
        if (!Metrics.Contains(Metric)) throw new ArgumentException($"Unknown selection metric '{Metric}'. Known: {string.Join(", ", Metrics)}.");
        if (Folds is not null && ValidationFraction is not null)
            throw new ArgumentException("selection has both folds and validation_fraction: choose cross-validation or one held-out split.");
        if (Folds is null && ValidationFraction is null)
            throw new ArgumentException("selection needs folds (k-fold cross-validation) or validation_fraction (one held-out split).");
        if (Folds is { } k && k < 2) throw new ArgumentException($"selection.folds must be at least 2, not {k}.");
        if (ValidationFraction is { } f && !(f > 0 && f < 1)) throw new ArgumentException($"selection.validation_fraction must be strictly between 0 and 1, not {f}.");
    }
}
