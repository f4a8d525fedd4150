using System.Text.Json;
using Google.Protobuf;
using MnistMl.IO;
using MnistMl.Trainers;
using MnistMl.Trainers.Transfer;
using MnistMl.Transfer;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Onnx;

/// <summary>
/// Writes a network that starts with a MobileNetV2 layer as a backbone file, laid out as torchvision's export is:
/// input "input" float32 [N, 3, H, W] (images already normalized), the MobileNetV2 features, the network's other
/// layers (GlobalAveragePooling2D → GlobalAveragePool, Dense → Gemm), output "output" [N, classes] logits. The
/// batch norms stay BatchNormalization nodes and the initializers keep the state_dict names, so
/// <see cref="OnnxBackbone"/> finds the features and <see cref="MobileNetV2Weights"/> imports them exactly.
/// metadata_props: <see cref="OnnxBackbone.MeanKey"/>/<see cref="OnnxBackbone.StdKey"/> (the normalization the
/// inputs had in training), the class names, and a free-form <see cref="OnnxBackbone.ProvenanceKey"/>.
/// </summary>
public static class OnnxBackboneExporter
{
    public const string InputName = "input", OutputName = "output";

    public static void Export(Network network, string path, IReadOnlyList<float> mean, IReadOnlyList<float> std,
        IReadOnlyList<string>? classNames = null, string? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (network.Backbone is null)
            throw new NotSupportedException("A backbone file is written from a network whose first layer is MobileNetV2.");
        if (mean.Count != 3 || std.Count != 3) throw new ArgumentException("The normalization needs three means and three standard deviations, one per channel.");
        var g = new OnnxGraphBuilder("mobilenetv2");
        g.Input(g.ExactName(InputName), DataType.Float, network.InputShape);
        var logits = OnnxNetworkWriter.Write(g, network, InputName);
        g.Node("Identity", [logits], [g.ExactName(OutputName)]);
        g.Output(OutputName, DataType.Float, [network.ClassCount]);
        var metadata = new List<(string, string)>
        {
            (OnnxBackbone.MeanKey, JsonSerializer.Serialize(mean)),
            (OnnxBackbone.StdKey, JsonSerializer.Serialize(std)),
        };
        if (classNames is not null) metadata.Add((OnnxExporter.MetadataKeys.ClassNames, JsonSerializer.Serialize(classNames)));
        if (provenance is not null) metadata.Add((OnnxBackbone.ProvenanceKey, provenance));
        var model = OnnxModels.Create(g.Graph, "A MobileNetV2 backbone trained with MnistMl (TorchVision's mobilenet_v2 on TorchSharp).", metadata);
        AtomicFile.WriteAllBytes(path, model.ToByteArray());
    }
}
