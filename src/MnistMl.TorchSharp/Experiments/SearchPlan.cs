using System.Text.Json;
using System.Text.Json.Nodes;
using MnistMl.Data;
using MnistMl.Pipelines;

namespace MnistMl.Experiments;

/// <summary>
/// The trials of an experiment, in a fixed order: a grid's combinations (the first setting varying slowest), or a
/// random search's draws from its seed. Every trial's pipeline is built and checked here, so an unknown setting
/// or an impossible value is an error before any training.
/// </summary>
public static class SearchPlan
{
    /// <summary>The most trials a grid may have.</summary>
    public const int MaximumTrials = 100_000;

    public static IReadOnlyList<Trial> Create(ExperimentDefinition experiment)
    {
        experiment.Validate();
        var paths = experiment.Space.Keys.ToList();
        var baseJson = JsonNode.Parse(experiment.Pipeline.ToJson())!;
        foreach (var (setting, value) in experiment.Overrides)
            foreach (var path in SettingPath.ParseLinked(setting)) path.Apply(baseJson, value);
        // Each setting alone first, so that an unknown name is reported as that setting's fault.
        foreach (var (path, dimension) in paths.Zip(experiment.Space.Values))
            Build(experiment, baseJson, [(path, dimension.GridValues?[0] ?? dimension.Sample(new SplitRandom(experiment.Seed)))], index: null);

        var combinations = experiment.Search == "grid" ? Grid(experiment) : Random(experiment);
        var trials = new List<Trial>();
        var seen = new HashSet<string>();
        foreach (var values in combinations)
        {
            var trial = Build(experiment, baseJson, [.. paths.Zip(values)], trials.Count);
            // A random search may draw the same discrete point twice: it is one trial.
            if (seen.Add(trial.Hash)) trials.Add(trial);
        }
        return trials;
    }

    private static IEnumerable<JsonNode?[]> Grid(ExperimentDefinition experiment)
    {
        var axes = experiment.Space.Select(s => s.Value.GridValues!).ToArray();
        long count = axes.Aggregate(1L, (n, axis) => Math.Min(n * axis.Count, MaximumTrials + 1L));
        if (count > MaximumTrials)
            throw new ArgumentException($"Experiment '{experiment.Name}': the grid has more than {MaximumTrials:N0} combinations; shrink it or use random search.");
        var position = new int[axes.Length];
        for (long n = 0; n < count; n++)
        {
            yield return [.. axes.Select((axis, i) => axis[position[i]])];
            for (int i = axes.Length - 1; i >= 0; i--)
            {
                if (++position[i] < axes[i].Count) break;
                position[i] = 0;
            }
        }
    }

    private static IEnumerable<JsonNode?[]> Random(ExperimentDefinition experiment)
    {
        var random = new SplitRandom(experiment.Seed);
        for (int n = 0; n < experiment.Trials!.Value; n++)
            yield return [.. experiment.Space.Values.Select(d => d.Sample(random))];
    }

    private static Trial Build(ExperimentDefinition experiment, JsonNode baseJson, (string Path, JsonNode? Value)[] settings, int? index)
    {
        var json = baseJson.DeepClone();
        try
        {
            foreach (var (key, value) in settings)
                foreach (var path in SettingPath.ParseLinked(key)) path.Apply(json, value);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Experiment '{experiment.Name}': {e.Message}", e);
        }
        string which = index is null ? $"setting '{settings[0].Path}'" : $"trial {index + 1} ({string.Join(", ", settings.Select(s => $"{s.Path}={Trial.Format(s.Value)}"))})";
        PipelineDefinition pipeline;
        try
        {
            pipeline = json.Deserialize<PipelineDefinition>(PipelineDefinition.JsonOptions) ?? throw new JsonException("it is empty");
            pipeline.Training.ToOptions().Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"Experiment '{experiment.Name}': {which} does not make a valid pipeline: {e.Message}", e);
        }
        var identity = new JsonObject
        {
            ["pipeline"] = JsonNode.Parse(pipeline.ToJson()),
            ["selection"] = JsonSerializer.SerializeToNode(experiment.Selection, ExperimentDefinition.JsonOptions),
        };
        return new Trial(index ?? -1, settings.ToDictionary(s => s.Path, s => s.Value?.DeepClone()), pipeline, ExperimentDefinition.Hash(identity.ToJsonString()));
    }
}
