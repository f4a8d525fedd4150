using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML.Data;
using MnistMl.Onnx.Proto;

namespace MnistMl.Trainers;

/// <summary>
/// The TorchSharp side of a saved model. <c>ml.Model.Save</c> stores a <see cref="ClassificationModel"/> as an ONNX
/// graph inside ML.NET's zip; that graph's metadata_props also carry the network specification, the TorchSharp
/// weights (<c>Module.save</c> bytes), the History and the training settings, so <see cref="Load"/> rebuilds the
/// trained TorchSharp model from the file — for further training, fine-tuning or inspection.
/// </summary>
public static class SavedNetwork
{
    /// <summary>metadata_props keys of the embedded network graph.</summary>
    public static class MetadataKeys
    {
        public const string Network = "mnistml.network";
        public const string Weights = "mnistml.weights";
        public const string History = "mnistml.history";
        public const string Training = "mnistml.training";
        public const string ClassNames = "mnistml.class_names";
        public const string FeatureColumn = "mnistml.feature_column";
        public const string FeatureDimensions = "mnistml.feature_dimensions";
        public const string LabelColumn = "mnistml.label_column";
    }

    /// <summary>Every History value written, null ones too: its records take them all as constructor arguments.</summary>
    private static readonly JsonSerializerOptions HistoryJson = new(NetworkSpec.JsonOptions) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };

    internal static IEnumerable<(string Key, string Value)> Metadata(ClassificationModel model)
    {
        yield return (MetadataKeys.Network, model.Spec.ToJson());
        yield return (MetadataKeys.Weights, Convert.ToBase64String(model.Network.SaveToBytes()));
        yield return (MetadataKeys.History, JsonSerializer.Serialize(model.History, HistoryJson));
        if (model.Options is { } options) yield return (MetadataKeys.Training, JsonSerializer.Serialize(options, NetworkSpec.JsonOptions));
        yield return (MetadataKeys.ClassNames, JsonSerializer.Serialize(model.ClassNames));
        yield return (MetadataKeys.FeatureColumn, model.FeatureColumnName);
        yield return (MetadataKeys.FeatureDimensions, JsonSerializer.Serialize(model.FeatureType.Dimensions));
        yield return (MetadataKeys.LabelColumn, model.LabelColumnName);
    }

    /// <summary>
    /// The trained network of an ML.NET model file written by <c>ml.Model.Save</c> (the last one, when a pipeline
    /// holds several), with its History and training settings. The caller disposes it.
    /// </summary>
    public static ClassificationModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        ModelProto? found = null;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries.Where(e => e.Name == "OnnxModel"))
            {
                var model = ReadOnnx(entry, path);
                if (model.MetadataProps.Any(p => p.Key == MetadataKeys.Weights)) found = model;
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Model file '{path}' is not a readable ML.NET model (zip): {e.Message}", e);
        }
        if (found is null) throw new InvalidDataException($"Model file '{path}' holds no MnistMl network (no ApplyOnnxModel step carries TorchSharp weights).");
        var metadata = found.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        try
        {
            var spec = NetworkSpec.FromJson(metadata[MetadataKeys.Network]);
            var classNames = JsonSerializer.Deserialize<string[]>(metadata[MetadataKeys.ClassNames])!;
            var dimensions = JsonSerializer.Deserialize<int[]>(metadata[MetadataKeys.FeatureDimensions])!;
            var history = JsonSerializer.Deserialize<History>(metadata[MetadataKeys.History], HistoryJson)!;
            var options = metadata.TryGetValue(MetadataKeys.Training, out var training) ? JsonSerializer.Deserialize<TrainingOptions>(training, NetworkSpec.JsonOptions) : null;
            var network = spec.Build(dimensions.Select(d => (long)d).ToArray(), classNames.Length);
            try
            {
                using var weights = new MemoryStream(Convert.FromBase64String(metadata[MetadataKeys.Weights]));
                network.load(weights, strict: true);
                RejectNonFinite(network, path);
            }
            catch
            {
                network.Dispose();
                throw;
            }
            return new ClassificationModel(network, spec, metadata[MetadataKeys.FeatureColumn], new VectorDataViewType(NumberDataViewType.Single, dimensions),
                metadata[MetadataKeys.LabelColumn], classNames, history, options);
        }
        catch (Exception e) when (e is KeyNotFoundException or JsonException or FormatException or ArgumentException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException($"Model file '{path}': its MnistMl network is inconsistent ({e.Message}).", e);
        }
    }

    /// <summary>A weight or statistic that is NaN or infinite would predict garbage: the file is refused, naming the tensor.</summary>
    private static void RejectNonFinite(Network network, string path)
    {
        foreach (var (name, tensor) in network.named_parameters().Select(p => (p.name, (TorchSharp.torch.Tensor)p.parameter)).Concat(network.named_buffers()))
        {
            if (!tensor.is_floating_point()) continue;
            using var finite = TorchSharp.torch.isfinite(tensor).all();
            if (!finite.item<bool>())
                throw new InvalidDataException($"Model file '{path}': weight '{name}' holds NaN or infinite values; the model would predict nothing meaningful.");
        }
    }

    /// <summary>ML.NET stores ApplyOnnxModel's bytes as a little-endian int32 length, then the ONNX model.</summary>
    private static ModelProto ReadOnnx(ZipArchiveEntry entry, string path)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.Length < 4) throw new InvalidDataException($"Model file '{path}': entry '{entry.FullName}' is truncated.");
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (length != bytes.Length - 4) throw new InvalidDataException($"Model file '{path}': entry '{entry.FullName}' declares {length} bytes and holds {bytes.Length - 4}.");
        return ModelProto.Parser.ParseFrom(bytes[4..]);
    }
}
