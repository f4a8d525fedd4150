using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MnistMl.Data;
using MnistMl.IO;
using MnistMl.Trainers;
using MnistMl.Transforms;

namespace MnistMl.Pipelines;

/// <summary>
/// The model file of a pipeline: exactly what <c>ml.Model.Save</c> writes (so <c>ml.Model.Load</c> scores it in any
/// ML.NET application, without TorchSharp), plus one entry ML.NET ignores, <see cref="PipelineEntry"/>, holding the
/// pipeline definition and its metrics. <see cref="Load"/> rebuilds the MnistMl pipeline: the stateless transforms
/// from the definition, ML.NET's fitted normalizers from the file, the network from its embedded weights.
/// </summary>
public static class PipelineModelFile
{
    public const string PipelineEntry = "MnistMl/pipeline.json";

    /// <summary>The zip entry holding the cut graph of transform step <paramref name="step"/> (an ApplyBackbone step).</summary>
    public static string BackboneEntry(int step) => $"MnistMl/backbone-{step}.onnx";

    public static void Save(TrainedPipeline pipeline, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ml = new MLContext();
        using var buffer = new MemoryStream();
        ml.Model.Save(pipeline.Model, pipeline.InputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var manifest = new JsonObject
            {
                ["pipeline"] = JsonNode.Parse(pipeline.Definition.ToJson()),
                ["metrics"] = JsonSerializer.SerializeToNode(pipeline.Metrics),
            };
            using (var stream = zip.CreateEntry(PipelineEntry, CompressionLevel.Optimal).Open())
                stream.Write(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            // The backbones' cut graphs, so that the file reloads as a pipeline without the backbone files.
            for (int i = 0; i < pipeline.Definition.Transforms.Count; i++)
                if (pipeline.Definition.Transforms[i] is ApplyBackboneStep backbone)
                {
                    using var stream = zip.CreateEntry(BackboneEntry(i), CompressionLevel.Optimal).Open();
                    stream.Write(backbone.ResolveFeatureModel());
                }
            ModelFileIntegrity.Seal(zip);
        }
        AtomicFile.WriteAllBytes(path, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    public static TrainedPipeline Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        var ml = new MLContext(seed: 0);
        // Before ML.NET or anything else reads it: damaged, altered or oversized files stop here.
        ModelFileIntegrity.Verify(path);
        var manifest = ReadManifest(path);
        ITransformer saved;
        Microsoft.ML.DataViewSchema inputSchema;
        try
        {
            saved = ml.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException or EndOfStreamException)
        {
            throw Corrupt(path, $"ML.NET cannot read its model ({e.Message})", e);
        }
        var definition = WithEmbeddedBackbones(PipelineDefinition.FromJson(manifest["pipeline"]!.ToJsonString(), path), path);
        var normalizers = new Queue<NormalizingTransformer>(saved.Flatten().OfType<NormalizingTransformer>());
        var transformers = new List<ITransformer>();
        var schema = inputSchema;
        foreach (var step in definition.Transforms)
        {
            ITransformer transformer = step.Learns
                ? normalizers.Count > 0 ? normalizers.Dequeue() : throw Corrupt(path, $"its model lacks the fitted {step.GetType().Name} the definition names")
                : step.CreateEstimator(ml).Fit(new EmptyDataView(schema));
            transformers.Add(transformer);
            schema = transformer.GetOutputSchema(schema);
        }
        var network = SavedNetwork.Load(path);
        transformers.Add(network);
        return new TrainedPipeline(definition, inputSchema, new TransformerChain<ITransformer>([.. transformers]))
        {
            Metrics = manifest["metrics"]?.Deserialize<Dictionary<string, double>>() ?? [],
        };
    }


    private static PipelineDefinition WithEmbeddedBackbones(PipelineDefinition definition, string path)
    {
        if (!definition.Transforms.OfType<ApplyBackboneStep>().Any()) return definition;
        using var zip = ZipFile.OpenRead(path);
        var steps = definition.Transforms.Select((step, i) =>
        {
            if (step is not ApplyBackboneStep backbone) return step;
            var entry = zip.GetEntry(BackboneEntry(i)) ?? throw Corrupt(path, $"it lacks {BackboneEntry(i)}, the backbone of transform step {i}");
            using var stream = entry.Open();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return backbone with { FeatureModel = bytes.ToArray() };
        }).ToList();
        return definition with { Transforms = steps };
    }

    /// <summary>The pipeline entry; a file that is no zip, or a zip without it, is an error naming the file.</summary>
    private static JsonObject ReadManifest(string path)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(path, "it is not a zip archive (truncated, or not a model file)", e);
        }
        using (zip)
        {
            var entry = zip.GetEntry(PipelineEntry) ?? throw Corrupt(path, $"it has no {PipelineEntry} (it is not an MnistMl pipeline's model file; ml.Model.Load reads any ML.NET model)");
            string text;
            try
            {
                using var reader = new StreamReader(entry.Open());
                text = reader.ReadToEnd();
            }
            catch (InvalidDataException e)
            {
                throw Corrupt(path, $"its {PipelineEntry} cannot be read ({e.Message})", e);
            }
            JsonObject? manifest;
            try
            {
                manifest = JsonNode.Parse(text)?.AsObject();
            }
            catch (JsonException e)
            {
                throw Corrupt(path, $"its {PipelineEntry} is not valid JSON ({e.Message})", e);
            }
            return manifest ?? throw Corrupt(path, $"its {PipelineEntry} is empty");
        }
    }

    private static InvalidDataException Corrupt(string path, string why, Exception? inner = null) =>
        new($"Model file '{path}' cannot be read: {why}.", inner);
}
