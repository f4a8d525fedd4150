using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MnistMl.Experiments;

/// <summary>
/// The address of one pipeline setting in the pipeline file's own names: dot-separated snake_case properties with
/// list indices, e.g. <c>training.optimizer.learning_rate</c>, <c>network.layers[0].units</c>,
/// <c>transforms[1].cells_per_block</c>. It is applied to the pipeline's JSON, so every setting a pipeline file
/// has can be searched, and a name the pipeline does not know is an error when the pipeline is read back.
/// </summary>
public sealed partial class SettingPath
{
    private readonly (string Property, int[] Indices)[] segments;

    private SettingPath(string text, (string, int[])[] segments)
    {
        Text = text;
        this.segments = segments;
    }

    public string Text { get; }

    public override string ToString() => Text;

    /// <summary>
    /// The paths of one searched setting: a single path, or several separated by commas, which all take the same
    /// value (<c>network.layers[0].activation, network.layers[3].activation</c>: one activation for both layers).
    /// </summary>
    public static IReadOnlyList<SettingPath> ParseLinked(string key) =>
        [.. (key ?? "").Split(',', StringSplitOptions.TrimEntries).Select(Parse)];

    /// <exception cref="ArgumentException">The text is not a path of properties and indices.</exception>
    public static SettingPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.');
        var segments = new (string, int[])[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var match = Segment().Match(parts[i]);
            if (!match.Success)
                throw new ArgumentException($"Setting '{text}' is not a setting path (properties in snake_case separated by dots, list items as [i], e.g. network.layers[0].units).");
            segments[i] = (match.Groups[1].Value, match.Groups[2].Captures.Select(c => int.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }
        return new SettingPath(text, segments);
    }

    /// <summary>Sets the value at this path in <paramref name="root"/> (a pipeline's JSON); the last property may be new.</summary>
    /// <exception cref="ArgumentException">A property on the way is missing or not an object, or an index is out of range.</exception>
    public void Apply(JsonNode root, JsonNode? value)
    {
        JsonNode current = root;
        string walked = "";
        for (int s = 0; s < segments.Length; s++)
        {
            var (property, indices) = segments[s];
            bool lastSegment = s == segments.Length - 1;
            if (current is not JsonObject obj)
                throw new ArgumentException($"Setting '{Text}': '{walked}' is not an object in the pipeline.");
            walked = walked.Length == 0 ? property : $"{walked}.{property}";
            if (lastSegment && indices.Length == 0)
            {
                obj[property] = value?.DeepClone();
                return;
            }
            current = obj[property] ?? throw new ArgumentException($"Setting '{Text}': the pipeline has no '{walked}'.");
            for (int i = 0; i < indices.Length; i++)
            {
                if (current is not JsonArray array)
                    throw new ArgumentException($"Setting '{Text}': '{walked}' is not a list in the pipeline.");
                int index = indices[i];
                if (index >= array.Count)
                    throw new ArgumentException($"Setting '{Text}': '{walked}' has {array.Count} items, so [{index}] does not exist.");
                walked += $"[{index}]";
                if (lastSegment && i == indices.Length - 1)
                {
                    array[index] = value?.DeepClone();
                    return;
                }
                current = array[index] ?? throw new ArgumentException($"Setting '{Text}': '{walked}' is empty in the pipeline.");
            }
        }
    }

    [GeneratedRegex(@"^([a-z_][a-z0-9_]*)(?:\[(\d{1,6})\])*$")]
    private static partial Regex Segment();
}
