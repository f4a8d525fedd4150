using System.Globalization;
using MnistMl.Onnx;
using MnistMl.Onnx.Proto;
using MnistMl.Transfer;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistMl.Trainers.Transfer;

/// <summary>
/// Copies an ONNX MobileNetV2 backbone's weights into TorchSharp's MobileNetV2 features, so that it can be
/// fine-tuned. The convolutions are matched in forward order (the graph's Conv nodes that compute the features ↔
/// the modules' Conv2d), which works whatever the exporter named its initializers. Two layouts are understood:
/// BatchNormalization nodes kept after the convolutions (as MnistMl exports, or an export in training mode), whose
/// scale, bias, mean and variance are copied; or batch norms folded into the convolutions (torch.onnx.export in
/// eval mode, the ONNX model zoo), where the folded kernel goes into the Conv2d and the BatchNorm2d becomes the
/// identity plus the folded bias: γ = 1, β = bias, mean = 0, variance = 1 − ε, so that its inference form
/// (x − mean)/√(var + ε)·γ + β is exactly x + bias. Such a BatchNorm has no statistics of a data set; fine-tune it
/// in inference mode.
/// </summary>
public static class MobileNetV2Weights
{
    /// <summary>The standard width multipliers, tried in this order when a file's width is not given.</summary>
    public static readonly IReadOnlyList<double> StandardAlphas = [1.0, 0.75, 0.5, 0.35, 1.3, 1.4, 0.25];

    /// <summary>The width multiplier whose convolution shapes are the backbone's; an error says what was found otherwise.</summary>
    public static double InferAlpha(OnnxBackbone backbone)
    {
        var convs = Convolutions(backbone, backbone.FeatureGraph()).Select(c => c.Weight.Dims.ToArray()).ToList();
        foreach (double alpha in StandardAlphas)
        {
            using var candidate = new MobileNetV2Features(alpha);
            var shapes = candidate.ConvolutionPairs().Select(p => p.Conv.weight!.shape).ToList();
            if (shapes.Count == convs.Count && shapes.Zip(convs).All(s => s.First.SequenceEqual(s.Second))) return alpha;
        }
        throw new InvalidDataException($"Backbone '{backbone.Source}' has {convs.Count} convolutions (the first with {(convs.Count > 0 ? convs[0][0] : 0)} filters); no standard MobileNetV2 width ({string.Join(", ", StandardAlphas.Select(a => a.ToString(CultureInfo.InvariantCulture)))}) has those shapes — set alpha, or check that the file is a MobileNetV2.");
    }

    /// <summary>Copies the weights of <paramref name="backbone"/> into <paramref name="target"/>; shapes must match exactly.</summary>
    public static void Import(MobileNetV2Features target, OnnxBackbone backbone)
    {
        var pairs = target.ConvolutionPairs();
        var graph = backbone.FeatureGraph();
        var convs = Convolutions(backbone, graph);
        var norms = Norms(backbone, graph);
        if (convs.Count != pairs.Count)
            throw new InvalidDataException($"Backbone '{backbone.Source}' has {convs.Count} convolutions before its features; TorchVision's MobileNetV2 (alpha {target.Alpha.ToString(CultureInfo.InvariantCulture)}) has {pairs.Count}.");
        bool folded = norms.Count == 0;
        if (!folded && norms.Count != pairs.Count)
            throw new InvalidDataException($"Backbone '{backbone.Source}' has {norms.Count} BatchNormalization nodes for {convs.Count} convolutions: neither one per convolution nor folded into them.");
        using var noGrad = torch.no_grad();
        for (int i = 0; i < pairs.Count; i++)
        {
            var (conv, norm) = pairs[i];
            var (weight, bias, node) = convs[i];
            string where = $"Backbone '{backbone.Source}', convolution {i + 1} of {pairs.Count} (node '{node}')";
            Copy(conv.weight!, weight, where);
            if (folded)
            {
                var biasValues = bias is null ? new float[norm.weight!.shape[0]] : OnnxTensors.ReadFloats(bias);
                if (biasValues.Length != norm.weight!.shape[0]) throw new InvalidDataException($"{where}: its bias has {biasValues.Length} values for {norm.weight.shape[0]} filters.");
                norm.weight.fill_(1);
                norm.bias!.copy_(torch.tensor(biasValues));
                norm.running_mean!.zero_();
                norm.running_var!.fill_(1 - norm.eps);
            }
            else
            {
                if (bias is not null && OnnxTensors.ReadFloats(bias).Any(v => v != 0))
                    throw new InvalidDataException($"{where}: the convolution has a bias and a BatchNormalization after it; TorchVision's convolutions have none.");
                var (scale, shift, mean, variance, epsilon, normNode) = norms[i];
                string normWhere = $"Backbone '{backbone.Source}', BatchNormalization {i + 1} (node '{normNode}')";
                Copy(norm.weight!, scale, normWhere);
                Copy(norm.bias!, shift, normWhere);
                Copy(norm.running_mean!, mean, normWhere);
                Copy(norm.running_var!, variance, normWhere);
                if (Math.Abs(epsilon - norm.eps) > 1e-9)
                    throw new InvalidDataException($"{normWhere}: epsilon {epsilon} differs from TorchVision's {norm.eps}.");
            }
        }
    }

    private static void Copy(Tensor target, TensorProto source, string where)
    {
        if (!source.Dims.SequenceEqual(target.shape))
            throw new InvalidDataException($"{where}: tensor '{source.Name}' is [{string.Join(", ", source.Dims)}]; the module's is [{string.Join(", ", target.shape)}].");
        using var values = torch.tensor(OnnxTensors.ReadFloats(source), target.shape);
        target.copy_(values);
    }

    private static List<(TensorProto Weight, TensorProto? Bias, string Node)> Convolutions(OnnxBackbone backbone,
        (IReadOnlyList<NodeProto> Nodes, IReadOnlyDictionary<string, TensorProto> Initializers) graph)
    {
        var (nodes, initializers) = graph;
        return nodes.Where(n => n.OpType == "Conv")
            .Select(n => (Initializer(initializers, n, 1, backbone)!, Initializer(initializers, n, 2, backbone), n.Name))
            .ToList();
    }

    private static List<(TensorProto Scale, TensorProto Bias, TensorProto Mean, TensorProto Variance, double Epsilon, string Node)> Norms(OnnxBackbone backbone,
        (IReadOnlyList<NodeProto> Nodes, IReadOnlyDictionary<string, TensorProto> Initializers) graph)
    {
        var (nodes, initializers) = graph;
        return nodes.Where(n => n.OpType == "BatchNormalization")
            .Select(n => (Initializer(initializers, n, 1, backbone)!, Initializer(initializers, n, 2, backbone)!, Initializer(initializers, n, 3, backbone)!,
                Initializer(initializers, n, 4, backbone)!, (double)(n.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f), n.Name))
            .ToList();
    }

    private static TensorProto? Initializer(IReadOnlyDictionary<string, TensorProto> initializers, NodeProto node, int input, OnnxBackbone backbone)
    {
        if (node.Input.Count <= input || node.Input[input].Length == 0) return null;
        return initializers.TryGetValue(node.Input[input], out var tensor) ? tensor
            : throw new InvalidDataException($"Backbone '{backbone.Source}': input '{node.Input[input]}' of node '{node.Name}' ({node.OpType}) is computed, not a stored weight; its weights cannot be imported.");
    }
}
