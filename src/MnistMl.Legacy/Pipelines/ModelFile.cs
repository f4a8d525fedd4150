using MnistMl.IO;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Trainers;
using MnistMl.Transforms;

namespace MnistMl.Pipelines;

/// <summary>
/// The model file of a <see cref="TrainedPipeline"/>: a zip archive with
/// <c>manifest.json</c> (format name and version, producer, the pipeline definition, the input schema, what each
/// transform learned, class names, history, metrics) and <c>weights.dat</c> (the network's state_dict in TorchSharp's
/// <c>Module.save</c> format, loadable into the same network with <c>Module.load</c>). Written to a temporary sibling
/// and renamed; loading checks format and version and names the file in every error.
/// </summary>
public static class ModelFile
{
    public const string Format = "mnistml-model";
    public const int CurrentVersion = 2;
    private const string ManifestEntry = "manifest.json";
    private const string WeightsEntry = "weights.dat";

    public static void Save(TrainedPipeline pipeline, string path)
    {
        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["version"] = CurrentVersion,
            ["producer"] = $"MnistMl {typeof(ModelFile).Assembly.GetName().Version} (TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__})",
            ["created"] = DateTimeOffset.UtcNow.ToString("O"),
            ["pipeline"] = JsonNode.Parse(pipeline.Definition.ToJson()),
            ["input_schema"] = SchemaToJson(pipeline.InputSchema),
            ["transform_states"] = new JsonArray(pipeline.Definition.Transforms.Zip(pipeline.Transforms, (spec, fitted) =>
                (JsonNode)JsonSerializer.SerializeToNode(spec.SaveState(fitted))!).ToArray()),
            ["feature_type"] = JsonSerializer.SerializeToNode(new { dims = pipeline.Model.FeatureType.Dimensions, dtype = pipeline.Model.FeatureType.ElementType.ToString() }),
            ["class_names"] = JsonSerializer.SerializeToNode(pipeline.ClassNames),
            ["history"] = JsonSerializer.SerializeToNode(pipeline.History, NetworkSpec.JsonOptions),
            ["metrics"] = JsonSerializer.SerializeToNode(pipeline.Metrics),
        };
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, ManifestEntry, System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            using (var weights = new MemoryStream())
            {
                pipeline.Model.Network.save(weights);
                Write(zip, WeightsEntry, weights.ToArray());
            }
        }
        AtomicFile.WriteAllBytes(path, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    public static TrainedPipeline Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        JsonObject manifest;
        byte[] weights;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            manifest = JsonNode.Parse(Read(zip, ManifestEntry, path))?.AsObject() ?? throw Corrupt(path, "its manifest is empty");
            weights = Read(zip, WeightsEntry, path);
        }
        catch (InvalidDataException e) when (e.Message.Contains("zip", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Central Directory", StringComparison.OrdinalIgnoreCase))
        {
            throw Corrupt(path, "it is not a zip archive (truncated, or not a model file)", e);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"its manifest is not valid JSON ({e.Message})", e);
        }
        if ((string?)manifest["format"] != Format) throw Corrupt(path, $"it is not an MnistMl model (format '{manifest["format"]}')");
        int version = (int?)manifest["version"] ?? -1;
        if (version != CurrentVersion)
            throw Corrupt(path, $"it was written in model format version {version}; this MnistMl reads version {CurrentVersion}");

        try
        {
            var definition = PipelineDefinition.FromJson(manifest["pipeline"]!.ToJsonString(), path);
            var inputSchema = SchemaFromJson(manifest["input_schema"]!.AsArray());
            var states = manifest["transform_states"]!.AsArray().Select(n => n.Deserialize<Dictionary<string, double[]>>()!).ToList();
            var context = new MLContext(seed: 0);
            var transforms = new List<ITransformer>();
            var schema = inputSchema;
            for (int i = 0; i < definition.Transforms.Count; i++)
            {
                var transformer = definition.Transforms[i].Restore(context, states[i], schema);
                transforms.Add(transformer);
                schema = transformer.GetOutputSchema(schema);
            }
            var classNames = manifest["class_names"]!.Deserialize<string[]>()!;
            var history = manifest["history"]!.Deserialize<History>(NetworkSpec.JsonOptions)!;
            var featureType = schema[definition.FeatureColumn].Type;
            var network = definition.Network.Build(featureType.Dimensions, classNames.Length);
            try
            {
                using var stream = new MemoryStream(weights);
                try { network.load(stream, strict: true); }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or NotImplementedException)
                {
                    throw Corrupt(path, $"its {WeightsEntry} does not hold this network's weights ({e.Message})", e);
                }
            }
            catch
            {
                network.Dispose();
                throw;
            }
            var model = new ClassificationModel(network, definition.Network, definition.FeatureColumn, featureType, classNames, history);
            return new TrainedPipeline(definition, inputSchema, transforms, model)
            {
                Metrics = manifest["metrics"]?.Deserialize<Dictionary<string, double>>() ?? [],
            };
        }
        catch (Exception e) when (e is NullReferenceException or JsonException or KeyNotFoundException or ArgumentException)
        {
            throw Corrupt(path, $"its content is inconsistent ({e.Message})", e);
        }
    }

    private static void Write(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(content);
    }

    private static byte[] Read(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw Corrupt(path, $"it has no {name}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static InvalidDataException Corrupt(string path, string reason, Exception? inner = null) =>
        new($"Model file '{path}' cannot be loaded: {reason}.", inner);

    private static JsonArray SchemaToJson(DataViewSchema schema) => new(schema.Select(c => (JsonNode)new JsonObject
    {
        ["name"] = c.Name,
        ["element_type"] = c.Type.ElementType.ToString(),
        ["dimensions"] = JsonSerializer.SerializeToNode(c.Type.Dimensions),
        ["key_count"] = c.Type.KeyCount,
        ["key_values"] = c.KeyValues is null ? null : JsonSerializer.SerializeToNode(c.KeyValues),
    }).ToArray());

    private static DataViewSchema SchemaFromJson(JsonArray columns) => new(columns.Select(n => new DataViewSchema.Column(
        (string)n!["name"]!,
        new ColumnType(Enum.Parse<ScalarType>((string)n["element_type"]!), n["dimensions"]!.Deserialize<long[]>()!, (int?)n["key_count"]),
        n["key_values"]?.Deserialize<string[]>())));
}
