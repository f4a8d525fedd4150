using System.Text.Json.Nodes;
using MnistMl.Pipelines;

namespace MnistMl.Experiments;

/// <summary>
/// One point of a search: its index in the plan, the searched settings' values, the whole pipeline they make, and
/// a hash of that pipeline and the selection, which matches the trial to its line in a results file.
/// </summary>
public sealed record Trial(int Index, IReadOnlyDictionary<string, JsonNode?> Settings, PipelineDefinition Pipeline, string Hash)
{
    /// <summary>The settings as one line, "training.optimizer.name=adam, network.layers[2].rate=0.2".</summary>
    public string Describe() => string.Join(", ", Settings.Select(s => $"{s.Key}={Format(s.Value)}"));

    internal static string Format(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue(out string? text) => text,
        _ => value.ToJsonString(),
    };
}
