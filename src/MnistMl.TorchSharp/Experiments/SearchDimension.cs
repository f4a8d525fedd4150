using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MnistMl.Data;

namespace MnistMl.Experiments;

/// <summary>
/// The values one setting takes in a search: a list of choices (any JSON values: numbers, names, whole layer lists),
/// or, for random search, a distribution — <c>{"uniform": [lo, hi]}</c>, <c>{"log_uniform": [lo, hi]}</c>,
/// <c>{"int": [lo, hi]}</c> (both ends included; a grid takes every integer) — or <c>{"choice": [...]}</c>.
/// </summary>
[JsonConverter(typeof(SearchDimensionConverter))]
public abstract record SearchDimension
{
    /// <summary>Every value, for grid search; null for a continuous distribution.</summary>
    public abstract IReadOnlyList<JsonNode?>? GridValues { get; }

    /// <summary>One random value.</summary>
    public abstract JsonNode? Sample(SplitRandom random);

    /// <summary>Rejects empty or impossible dimensions; errors name the setting.</summary>
    public abstract void Validate(string setting);

    internal abstract JsonNode ToJson();

    internal static double Uniform01(SplitRandom random) => (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
}

/// <summary>A list of values, tried in order by grid search, drawn with equal chances by random search.</summary>
public sealed record ChoiceDimension(IReadOnlyList<JsonNode?> Values) : SearchDimension
{
    public override IReadOnlyList<JsonNode?> GridValues => Values;

    public override JsonNode? Sample(SplitRandom random) => Values[(int)(random.NextUInt64() % (ulong)Values.Count)]?.DeepClone();

    public override void Validate(string setting)
    {
        if (Values.Count == 0) throw new ArgumentException($"Setting '{setting}' has no values to try.");
        var distinct = Values.Select(v => v?.ToJsonString() ?? "null").ToList();
        if (distinct.Distinct().Count() != distinct.Count)
            throw new ArgumentException($"Setting '{setting}' lists the same value twice.");
    }

    internal override JsonNode ToJson() => new JsonArray([.. Values.Select(v => v?.DeepClone())]);
}

/// <summary>A real number drawn uniformly from [Low, High] (or its logarithm, for log-uniform).</summary>
public sealed record RangeDimension(double Low, double High, bool Logarithmic) : SearchDimension
{
    public override IReadOnlyList<JsonNode?>? GridValues => null;

    public override JsonNode? Sample(SplitRandom random)
    {
        double u = Uniform01(random);
        double value = Logarithmic ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))) : Low + u * (High - Low);
        // Six significant digits: settings stay readable in tables and files, and equal draws hash equally.
        return JsonValue.Create(double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    public override void Validate(string setting)
    {
        string kind = Logarithmic ? "log_uniform" : "uniform";
        if (!double.IsFinite(Low) || !double.IsFinite(High) || !(Low < High))
            throw new ArgumentException($"Setting '{setting}': {kind} needs two finite numbers [low, high] with low < high, not [{Low}, {High}].");
        if (Logarithmic && !(Low > 0)) throw new ArgumentException($"Setting '{setting}': log_uniform needs a low end above 0, not {Low}.");
    }

    internal override JsonNode ToJson() => new JsonObject { [Logarithmic ? "log_uniform" : "uniform"] = new JsonArray(Low, High) };
}

/// <summary>An integer from Low to High, both included: every one of them in a grid, one drawn uniformly in random search.</summary>
public sealed record IntegerDimension(long Low, long High) : SearchDimension
{
    /// <summary>The most integers a grid enumerates from one range.</summary>
    public const int MaximumGridValues = 1000;

    public override IReadOnlyList<JsonNode?> GridValues
    {
        get
        {
            if (High - Low + 1 > MaximumGridValues)
                throw new ArgumentException($"The integer range [{Low}, {High}] has more than {MaximumGridValues} values for a grid; list the values or use random search.");
            var values = new List<JsonNode?>();
            for (long v = Low; v <= High; v++) values.Add(JsonValue.Create(v));
            return values;
        }
    }

    public override JsonNode? Sample(SplitRandom random) => JsonValue.Create(Low + (long)(random.NextUInt64() % (ulong)(High - Low + 1)));

    public override void Validate(string setting)
    {
        if (Low > High) throw new ArgumentException($"Setting '{setting}': int needs [low, high] with low <= high, not [{Low}, {High}].");
    }

    internal override JsonNode ToJson() => new JsonObject { ["int"] = new JsonArray(Low, High) };
}

internal sealed class SearchDimensionConverter : JsonConverter<SearchDimension>
{
    public override SearchDimension Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader);
        switch (node)
        {
            case JsonArray list:
                return new ChoiceDimension([.. list.Select(v => v?.DeepClone())]);
            case JsonObject obj when obj.Count == 1:
                var (kind, value) = obj.First();
                if (kind == "choice" && value is JsonArray choices) return new ChoiceDimension([.. choices.Select(v => v?.DeepClone())]);
                if (value is JsonArray { Count: 2 } bounds && bounds.All(b => b is JsonValue))
                {
                    try
                    {
                        switch (kind)
                        {
                            case "uniform": return new RangeDimension(bounds[0]!.GetValue<double>(), bounds[1]!.GetValue<double>(), Logarithmic: false);
                            case "log_uniform": return new RangeDimension(bounds[0]!.GetValue<double>(), bounds[1]!.GetValue<double>(), Logarithmic: true);
                            case "int": return new IntegerDimension(bounds[0]!.GetValue<long>(), bounds[1]!.GetValue<long>());
                        }
                    }
                    catch (Exception e) when (e is FormatException or InvalidOperationException)
                    {
                        throw new JsonException($"'{kind}' needs two numbers{(kind == "int" ? " (whole)" : "")}: {e.Message}");
                    }
                }
                break;
        }
        throw new JsonException($"A search dimension is a list of values or one of {{\"choice\": [...]}}, {{\"uniform\": [lo, hi]}}, {{\"log_uniform\": [lo, hi]}}, {{\"int\": [lo, hi]}}; not {node?.ToJsonString() ?? "null"}.");
    }

    public override void Write(Utf8JsonWriter writer, SearchDimension value, JsonSerializerOptions options) => value.ToJson().WriteTo(writer);
}
