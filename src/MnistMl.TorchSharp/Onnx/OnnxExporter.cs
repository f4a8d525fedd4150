using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML;
using MnistMl.IO;
using MnistMl.Onnx.Proto;
using MnistMl.Trainers;
using MnistMl.Transforms;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Onnx;

/// <summary>
/// Exports a fitted ML.NET pipeline that ends in an MnistMl network — the transforms that compute its features,
/// then the network — as one ONNX model (IR version <see cref="OnnxModels.IrVersion"/>, default-domain opset
/// <see cref="OnnxModels.OpsetVersion"/>) that ONNX Runtime and other engines run without ML.NET or MnistMl:
/// <list type="bullet">
/// <item>input: the raw column the features come from, named after it in lower case ("image"), float32 (or uint8,
/// see <see cref="OnnxExportOptions.InputType"/>) [N, …] with the batch size N dynamic, values as the pipeline
/// reads them (0–255 for MNIST);</item>
/// <item>outputs: <see cref="ProbabilitiesOutput"/> float32 [N, classes] (the pipeline's Score) and
/// <see cref="LabelOutput"/> int64 [N] (its arg-max, ties to the lower class: PredictedLabel − 1);</item>
/// <item>metadata_props: class names (a JSON array), producer, pipeline name and description, the preprocessing
/// steps in words, the input and feature columns.</item>
/// </list>
/// MnistMl's image transforms, ML.NET's affine normalizers and column selections, and every layer and activation
/// export. Everything is checked and built in memory first: a transform or module without an ONNX form on the
/// features' path throws <see cref="NotSupportedException"/> naming it before any file is touched, and the file is
/// written atomically.
/// </summary>
public static class OnnxExporter
{
    public const string ProbabilitiesOutput = "probabilities";
    public const string LabelOutput = "label";

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

    /// <summary>Writes the model (fitted on data of <paramref name="inputSchema"/>) as an ONNX file, atomically.</summary>
    public static void Export(ITransformer model, DataViewSchema inputSchema, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(model, inputSchema, options);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The serialized ONNX model.</summary>
    public static byte[] ToBytes(ITransformer model, DataViewSchema inputSchema, OnnxExportOptions? options = null) => ToModel(model, inputSchema, options).ToByteArray();

    /// <summary>The ONNX model as protobuf messages (MnistMl.Onnx.Proto, generated from onnx.proto).</summary>
    public static ModelProto ToModel(ITransformer model, DataViewSchema inputSchema, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        var steps = model.Flatten().ToList();
        var network = steps.LastOrDefault() as ClassificationModel
            ?? throw new NotSupportedException($"The model ends in {steps.LastOrDefault()?.GetType().Name ?? "nothing"}; the ONNX export needs a pipeline that ends in an MnistMl network (ClassificationModel).");
        string name = options.Name ?? "mnistml";
        var g = new OnnxGraphBuilder(name);
        g.ExactName(ProbabilitiesOutput);
        g.ExactName(LabelOutput);

        var preprocessing = new OnnxPreprocessingWriter(g, options);
        var (schema, features) = preprocessing.Write(steps.Take(steps.Count - 1), inputSchema, network.FeatureColumnName);
        network.GetOutputSchema(schema); // the feature column fits the network
        var logits = OnnxNetworkWriter.Write(g, network.Network, features());
        g.Node("Softmax", [logits], [ProbabilitiesOutput], OnnxAttributes.Int("axis", -1));
        g.Node("ArgMax", [ProbabilitiesOutput], [LabelOutput], OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0));

        var input = preprocessing.InputColumn!.Value;
        int classes = network.ClassNames.Count;
        g.Output(ProbabilitiesOutput, DataType.Float, [classes]);
        g.Output(LabelOutput, DataType.Int64, []);
        g.Graph.DocString = $"{name}: '{preprocessing.InputName}' ({input.Type} column '{input.Name}') → preprocessing → network → " +
            $"'{ProbabilitiesOutput}' [N, {classes}], '{LabelOutput}' [N].";

        var metadata = new List<(string Key, string Value)>
        {
            (MetadataKeys.ClassNames, JsonSerializer.Serialize(network.ClassNames)),
            (MetadataKeys.Producer, $"{OnnxModels.ProducerName} {OnnxModels.ProducerVersion}"),
            (MetadataKeys.PipelineName, name),
        };
        if (options.Description is { } description) metadata.Add((MetadataKeys.PipelineDescription, description));
        metadata.Add((MetadataKeys.Preprocessing, string.Join("\n", preprocessing.Steps)));
        metadata.Add((MetadataKeys.InputColumn, input.Name));
        metadata.Add((MetadataKeys.FeatureColumn, network.FeatureColumnName));
        foreach (var (key, value) in options.Metadata)
        {
            if (metadata.Any(m => m.Key == key)) throw new ArgumentException($"The metadata key '{key}' is the exporter's own.", nameof(options));
            metadata.Add((key, value));
        }
        return OnnxModels.Create(g.Graph, options.Description ?? name, metadata);
    }

}
