using MnistMl.IO;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using MnistMl.Onnx.Proto;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Onnx;

/// <summary>
/// Exports a fitted pipeline — the transforms that compute the network's features, then the network — as one ONNX
/// model (IR version <see cref="IrVersion"/>, default-domain opset <see cref="OpsetVersion"/>) that ONNX Runtime and
/// other engines run without MnistMl:
/// <list type="bullet">
/// <item>input: the raw column the features come from, named after it in lower case ("image"), float32 (or uint8,
/// see <see cref="OnnxExportOptions.InputType"/>) [N, …] with the batch size N dynamic, values as the pipeline
/// reads them (0–255 for MNIST);</item>
/// <item>outputs: <see cref="ProbabilitiesOutput"/> float32 [N, classes] (softmax of the logits, the pipeline's
/// Score) and <see cref="LabelOutput"/> int64 [N] (its arg-max, ties to the lower class, the PredictedLabel);</item>
/// <item>metadata_props: class names (a JSON array), producer, pipeline name and description, and the preprocessing
/// steps in words.</item>
/// </list>
/// Every transform of the pipeline files exports (ScalePixels, Normalize, ExtractHogFeatures, PadImages, ResizeImages,
/// ConvertGrayscaleToRgb, NormalizeImageNet/NormalizeChannels, Flatten, Reshape; also Concatenate and column copies),
/// and every layer and activation. Everything is checked and built in memory first: a transform or module without an
/// ONNX form (a custom transformer on the features' path) throws <see cref="NotSupportedException"/> naming it before
/// any file is touched, and the file is written atomically.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set of the default domain the models use.</summary>
    public const int OpsetVersion = 13;

    /// <summary>ONNX IR version 8 (ONNX 1.10–1.12); readable by ONNX Runtime 1.10 and later.</summary>
    public const int IrVersion = 8;

    public const string ProbabilitiesOutput = "probabilities";
    public const string LabelOutput = "label";
    public const string ProducerName = "MnistMl";

    /// <summary>metadata_props keys.</summary>
    public static class MetadataKeys
    {
        public const string ClassNames = "class_names";
        public const string Producer = "producer";
        public const string PipelineName = "pipeline_name";
        public const string PipelineDescription = "pipeline_description";
        public const string Preprocessing = "preprocessing";
        public const string InputColumn = "input_column";
        public const string FeatureColumn = "feature_column";
    }

    /// <summary>The MnistMl version written as producer_version.</summary>
    public static string ProducerVersion { get; } =
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>Writes the pipeline as an ONNX model file (atomically; nothing is written when it cannot be exported).</summary>
    public static void Export(TrainedPipeline pipeline, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(pipeline, options);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The serialized ONNX model.</summary>
    public static byte[] ToBytes(TrainedPipeline pipeline, OnnxExportOptions? options = null) => ToModel(pipeline, options).ToByteArray();

    /// <summary>The ONNX model as protobuf messages (MnistMl.Onnx.Proto, generated from onnx.proto).</summary>
    public static ModelProto ToModel(TrainedPipeline pipeline, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        options ??= new OnnxExportOptions();
        var model = pipeline.Model;
        var g = new OnnxGraphBuilder(pipeline.Definition.Name);
        g.ExactName(ProbabilitiesOutput);
        g.ExactName(LabelOutput);

        var preprocessing = new OnnxPreprocessingWriter(g, options);
        var features = preprocessing.Write(pipeline, model.FeatureColumnName);
        var logits = OnnxNetworkWriter.Write(g, model.Network, features);
        g.Node("Softmax", [logits], [ProbabilitiesOutput], OnnxAttributes.Int("axis", -1));
        g.Node("ArgMax", [ProbabilitiesOutput], [LabelOutput], OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0));

        var input = preprocessing.InputColumn!;
        int classes = model.ClassNames.Count;
        g.Output(ProbabilitiesOutput, DataType.Float, [classes]);
        g.Output(LabelOutput, DataType.Int64, []);
        g.Graph.DocString = $"{pipeline.Definition.Name}: '{preprocessing.InputName}' ({input.Type} column '{input.Name}') → preprocessing → network → " +
            $"'{ProbabilitiesOutput}' [N, {classes}], '{LabelOutput}' [N].";

        var result = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            ModelVersion = 1,
            DocString = options.Description ?? pipeline.Definition.Description ?? pipeline.Definition.Name,
            Graph = g.Graph,
        };
        result.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });

        var metadata = new List<(string Key, string Value)>
        {
            (MetadataKeys.ClassNames, JsonSerializer.Serialize(model.ClassNames)),
            (MetadataKeys.Producer, $"{ProducerName} {ProducerVersion}"),
            (MetadataKeys.PipelineName, pipeline.Definition.Name),
        };
        if (pipeline.Definition.Description is { } description) metadata.Add((MetadataKeys.PipelineDescription, description));
        metadata.Add((MetadataKeys.Preprocessing, string.Join("\n", preprocessing.Steps)));
        metadata.Add((MetadataKeys.InputColumn, input.Name));
        metadata.Add((MetadataKeys.FeatureColumn, model.FeatureColumnName));
        foreach (var (key, value) in options.Metadata)
        {
            if (metadata.Any(m => m.Key == key)) throw new ArgumentException($"The metadata key '{key}' is the exporter's own.", nameof(options));
            metadata.Add((key, value));
        }
        result.MetadataProps.AddRange(metadata.Select(m => new StringStringEntryProto { Key = m.Key, Value = m.Value }));
        return result;
    }
}
