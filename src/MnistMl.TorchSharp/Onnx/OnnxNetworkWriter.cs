using MnistMl.Trainers;
using MnistMl.Trainers.Keras;
using MnistMl.Trainers.Layers;
using MnistMl.Trainers.Transfer;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistMl.Onnx;

/// <summary>
/// Writes a <see cref="Network"/>'s TorchSharp modules as ONNX nodes with evaluation-mode semantics: Linear → Gemm
/// (transB), Conv2d → Conv (groups, dilations, pads; a layer's asymmetric "same" border folds into them),
/// MaxPool2d → MaxPool (the same; ONNX never lets a padded cell win, as the −∞ border), AvgPool2d →
/// AveragePool (count_include_pad as the module's), SameAvgPool2d → AveragePool with asymmetric pads and
/// count_include_pad 0, AdaptiveAvgPool2d(1) → GlobalAveragePool, ReLU6 → Clip(0, 6), TorchVision's MobileNetV2
/// features (Conv2dNormActivation blocks, InvertedResidual with its residual Add), BatchNorm1d/2d → BatchNormalization with the
/// running statistics, Flatten → Flatten, Dropout → nothing, then the layer's activation. Weights become
/// initializers named as in the network's state_dict ("dense.weight", …). Returns the logits [N, classes].
/// </summary>
internal static class OnnxNetworkWriter
{
    public static string Write(OnnxGraphBuilder g, Network network, string input)
    {
        var layers = network.Layers;
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            string where = $"layer {i} ({layer.Name}, {layer.TypeName})";
            // Layers put a border only before a convolution (zeros) or a max pool (−∞); it folds into the operator's
            // own asymmetric pads, which ONNX MaxPool never lets win.
            long[]? folded = null;
            if (layer.Border is not null)
                folded = layer.Border is ConstantPad2d border && layer.Core is Conv2d or MaxPool2d
                    ? border.padding
                    : throw new NotSupportedException($"The network's {where} cannot be exported to ONNX: its border module {layer.Border.GetType().Name} precedes {layer.Core?.GetType().Name ?? "no module"}.");
            if (layer.Core is not null) x = WriteModule(g, layer.Core, x, layer.Name, where, folded);
            // As Network.forward: the output layer's activation is left to the final softmax.
            bool output = i == layers.Count - 1;
            if (!output && layer.Activation is { } kind) x = OnnxActivations.Write(g, kind, layer.ActivationAlpha, x, layer.Name);
        }
        return x;
    }

    /// <summary>One module (and, for a Sequential, its children in order); <paramref name="name"/> is its state_dict prefix.</summary>
    private static string WriteModule(OnnxGraphBuilder g, nn.Module module, string x, string name, string where, long[]? border = null)
    {
        switch (module)
        {
            case Linear linear:
            {
                List<string> inputs = [x, g.Weight($"{name}.weight", linear.weight!)];
                if (linear.bias is { } bias) inputs.Add(g.Weight($"{name}.bias", bias));
                return g.Node("Gemm", inputs, $"{name}/Gemm", OnnxAttributes.Int("transB", 1));
            }
            case Conv2d conv:
            {
                List<string> inputs = [x, g.Weight($"{name}.weight", conv.weight!)];
                if (conv.bias is { } bias) inputs.Add(g.Weight($"{name}.bias", bias));
                return g.Node("Conv", inputs, $"{name}/Conv",
                    OnnxAttributes.Ints("kernel_shape", conv.kernel_size),
                    OnnxAttributes.Ints("strides", conv.stride),
                    OnnxAttributes.Ints("dilations", conv.dilation),
                    OnnxAttributes.Ints("pads", Pads(conv.padding, border)),
                    OnnxAttributes.Int("group", conv.groups));
            }
            case MaxPool2d pool:
            {
                return g.Node("MaxPool", [x], $"{name}/MaxPool",
                    OnnxAttributes.Ints("kernel_shape", pool.kernel_size),
                    OnnxAttributes.Ints("strides", pool.stride ?? pool.kernel_size),
                    OnnxAttributes.Ints("pads", Pads(pool.padding, border)));
            }
            case AvgPool2d pool:
            {
                var p = pool.padding ?? [0, 0];
                return g.Node("AveragePool", [x], $"{name}/AveragePool",
                    OnnxAttributes.Ints("kernel_shape", pool.kernel_size),
                    OnnxAttributes.Ints("strides", pool.stride ?? pool.kernel_size),
                    OnnxAttributes.Ints("pads", p[0], p[1], p[0], p[1]),
                    OnnxAttributes.Int("count_include_pad", pool.count_include_pad ? 1 : 0));
            }
            case SameAvgPool2d pool:
                return g.Node("AveragePool", [x], $"{name}/AveragePool",
                    OnnxAttributes.Ints("kernel_shape", pool.KernelSize),
                    OnnxAttributes.Ints("strides", pool.Stride),
                    OnnxAttributes.Ints("pads", pool.Padding.Top, pool.Padding.Left, pool.Padding.Bottom, pool.Padding.Right),
                    OnnxAttributes.Int("count_include_pad", 0));
            case AdaptiveAvgPool2d adaptive when adaptive.output_size.All(s => s == 1):
                return g.Node("GlobalAveragePool", [x], $"{name}/GlobalAveragePool");
            case Flatten { start_dim: 1, end_dim: -1 }:
                return g.Node("Flatten", [x], $"{name}/Flatten", OnnxAttributes.Int("axis", 1));
            case BatchNorm norm:
            {
                long features = norm.running_mean!.shape[0];
                var scale = norm.weight is { } w ? g.Weight($"{name}.weight", w) : g.Floats($"{name}.weight_ones", Enumerable.Repeat(1f, (int)features).ToArray(), [features]);
                var shift = norm.bias is { } b ? g.Weight($"{name}.bias", b) : g.Floats($"{name}.bias_zeros", new float[features], [features]);
                return g.Node("BatchNormalization", [x, scale, shift, g.Weight($"{name}.running_mean", norm.running_mean), g.Weight($"{name}.running_var", norm.running_var!)],
                    $"{name}/BatchNormalization", OnnxAttributes.Float("epsilon", (float)norm.eps));
            }
            case Dropout:
                return x;
            case ReLU6:
                return g.Node("Clip", [x, g.Scalar($"{name}/min", 0f), g.Scalar($"{name}/max", 6f)], $"{name}/Clip");
            case MobileNetV2Features backbone:
                return WriteModule(g, backbone.Features, x, $"{name}.features", where);
            case nn.Module<Tensor, Tensor> block when block.GetType().Name == "InvertedResidual":
            {
                // torchvision's block: x + conv(x) when it keeps stride 1 and its channel count, else conv(x).
                var conv = block.named_children().Single(c => c.name == "conv").module;
                var y = WriteModule(g, conv, x, $"{name}.conv", where);
                return InvertedResidualAdds(block) ? g.Node("Add", [x, y], $"{name}/Add") : y;
            }
            case Sequential sequential:
            {
                foreach (var (childName, child) in sequential.named_children())
                    x = WriteModule(g, child, x, $"{name}.{childName}", where);
                return x;
            }
            default:
                throw new NotSupportedException($"The network's {where} cannot be exported to ONNX: its module {module.GetType().Name} has no ONNX form here.");
        }
    }

    /// <summary>Whether torchvision's InvertedResidual adds its input (its private use_res_connect).</summary>
    private static bool InvertedResidualAdds(nn.Module block)
    {
        var field = block.GetType().GetField("use_res_connect", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            ?? throw new NotSupportedException("TorchVision's InvertedResidual no longer has the field use_res_connect; the residual connection cannot be read for ONNX.");
        return (bool)field.GetValue(block)!;
    }

    /// <summary>
    /// ONNX pads [top, left, bottom, right]: the module's symmetric (H, W) padding plus a folded border given in
    /// TorchSharp's (left, right, top, bottom) order.
    /// </summary>
    private static long[] Pads(long[]? symmetric, long[]? border)
    {
        var p = symmetric ?? [0, 0];
        var b = border ?? [0, 0, 0, 0];
        return [p[0] + b[2], p[1] + b[0], p[0] + b[3], p[1] + b[1]];
    }
}
