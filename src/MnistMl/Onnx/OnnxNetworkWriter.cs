using MnistMl.Torch.NN;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Onnx;

/// <summary>
/// Writes a <see cref="Network"/>'s layers as ONNX nodes with evaluation-mode semantics: Dense → Gemm (transB),
/// Conv2D → Conv (groups, dilations, explicit pads; Keras "same" as the module resolves it, asymmetric when the
/// total is odd), MaxPool2D → MaxPool (padded cells never win, as the module's −∞ padding), AvgPool2D →
/// AveragePool ("same" averages real cells only: count_include_pad 0; explicit padding counts them),
/// GlobalAveragePooling2D → GlobalAveragePool + Flatten, BatchNormalization → BatchNormalization with the running
/// statistics, Flatten → Flatten, Dropout → nothing, then the layer's activation. Weights become initializers named
/// as in <see cref="MnistMl.Torch.NN.Module.StateDict"/> ("dense.weight", …). Returns the logits [N, classes].
/// </summary>
internal static class OnnxNetworkWriter
{
    public static string Write(OnnxGraphBuilder g, Network network, string input)
    {
        var layers = network.Layers;
        var x = input;
        long[] shape = network.InputShape;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            string where = $"layer {i} ({layer.Name}, {layer.TypeName})";
            if (layer.Core is not null) x = WriteModule(g, layer.Core, x, shape, layer.Name, where);
            // As Network.Run: the output layer's activation is left to the final softmax.
            bool output = i == layers.Count - 1;
            if (!output && layer.Activation is { } kind) x = OnnxActivations.Write(g, kind, layer.ActivationAlpha, x, layer.Name);
            shape = layer.OutputShape;
        }
        return x;
    }

    /// <summary>One module (and, for a Sequential, its children in order); <paramref name="name"/> is its state_dict prefix.</summary>
    private static string WriteModule(OnnxGraphBuilder g, Module module, string x, long[] shape, string name, string where)
    {
        switch (module)
        {
            case Linear linear:
            {
                List<string> inputs = [x, g.Weight($"{name}.weight", linear.Weight)];
                if (linear.Bias is { } bias) inputs.Add(g.Weight($"{name}.bias", bias));
                return g.Node("Gemm", inputs, $"{name}/Gemm", OnnxAttributes.Int("transB", 1));
            }
            case Conv2d conv:
            {
                List<string> inputs = [x, g.Weight($"{name}.weight", conv.Weight)];
                if (conv.Bias is { } bias) inputs.Add(g.Weight($"{name}.bias", bias));
                return g.Node("Conv", inputs, $"{name}/Conv",
                    OnnxAttributes.Ints("kernel_shape", conv.KernelSize.H, conv.KernelSize.W),
                    OnnxAttributes.Ints("strides", conv.Stride.H, conv.Stride.W),
                    OnnxAttributes.Ints("dilations", conv.Dilation.H, conv.Dilation.W),
                    OnnxAttributes.Ints("pads", Pads(conv.Padding, Image(shape, where), conv.KernelSize, conv.Stride, conv.Dilation)),
                    OnnxAttributes.Int("group", conv.Groups));
            }
            case MaxPool2d pool:
                // ONNX MaxPool ignores padded cells, as the module's −∞ padding does.
                return g.Node("MaxPool", [x], $"{name}/MaxPool",
                    OnnxAttributes.Ints("kernel_shape", pool.KernelSize.H, pool.KernelSize.W),
                    OnnxAttributes.Ints("strides", pool.Stride.H, pool.Stride.W),
                    OnnxAttributes.Ints("pads", Pads(pool.Padding, Image(shape, where), pool.KernelSize, pool.Stride, (1, 1))));
            case AvgPool2d pool:
                return g.Node("AveragePool", [x], $"{name}/AveragePool",
                    OnnxAttributes.Ints("kernel_shape", pool.KernelSize.H, pool.KernelSize.W),
                    OnnxAttributes.Ints("strides", pool.Stride.H, pool.Stride.W),
                    OnnxAttributes.Ints("pads", Pads(pool.Padding, Image(shape, where), pool.KernelSize, pool.Stride, (1, 1))),
                    OnnxAttributes.Int("count_include_pad", pool.Padding.Kind == "explicit" ? 1 : 0));
            case AdaptiveAvgPool2d { OutputSize: (1, 1) }:
                return g.Node("GlobalAveragePool", [x], $"{name}/GlobalAveragePool");
            case Flatten { StartDim: 1, EndDim: -1 }:
                return g.Node("Flatten", [x], $"{name}/Flatten", OnnxAttributes.Int("axis", 1));
            case BatchNorm norm:
            {
                var scale = norm.Weight is { } w ? g.Weight($"{name}.weight", w) : g.Floats($"{name}.weight_ones", Enumerable.Repeat(1f, (int)norm.NumFeatures).ToArray(), [norm.NumFeatures]);
                var shift = norm.Bias is { } b ? g.Weight($"{name}.bias", b) : g.Floats($"{name}.bias_zeros", new float[norm.NumFeatures], [norm.NumFeatures]);
                return g.Node("BatchNormalization", [x, scale, shift, g.Weight($"{name}.running_mean", norm.RunningMean), g.Weight($"{name}.running_var", norm.RunningVar)],
                    $"{name}/BatchNormalization", OnnxAttributes.Float("epsilon", (float)norm.Eps));
            }
            case Dropout:
                return x;
            case Activation activation:
                return OnnxActivations.Write(g, activation.Kind, activation.Alpha, x, name);
            case Sequential:
            {
                foreach (var (childName, child) in module.NamedChildren())
                {
                    x = WriteModule(g, child, x, shape, $"{name}.{childName}", where);
                    shape = ChildOutputShape(child, shape);
                }
                return x;
            }
            default:
                throw new NotSupportedException($"The network's {where} cannot be exported to ONNX: its module {module.GetType().Name} has no ONNX form here.");
        }
    }

    /// <summary>ONNX pads [top, left, bottom, right] reproducing <see cref="Padding2d"/>'s resolution for this input.</summary>
    private static long[] Pads(Padding2d padding, (long H, long W) input, (long H, long W) kernel, (long H, long W) stride, (long H, long W) dilation)
    {
        switch (padding.Kind)
        {
            case "valid": return [0, 0, 0, 0];
            case "explicit": return [padding.H, padding.W, padding.H, padding.W];
            default:
                var (left, right, top, bottom) = Functional.SamePadding(input.H, input.W, kernel, stride, dilation);
                return [top, left, bottom, right];
        }
    }

    private static (long H, long W) Image(long[] shape, string where) =>
        shape.Length == 3 ? (shape[1], shape[2]) : throw new NotSupportedException($"The network's {where} expects an image but its input is [{string.Join(", ", shape)}].");

    /// <summary>Row shapes inside a Sequential, for the children that need their input's height and width.</summary>
    private static long[] ChildOutputShape(Module child, long[] shape) => child switch
    {
        Conv2d c => [c.OutChannels, Along(shape[1], c.KernelSize.H, c.Stride.H, c.Dilation.H, c.Padding, c.Padding.H),
            Along(shape[2], c.KernelSize.W, c.Stride.W, c.Dilation.W, c.Padding, c.Padding.W)],
        Pool2d p => [shape[0], Along(shape[1], p.KernelSize.H, p.Stride.H, 1, p.Padding, p.Padding.H),
            Along(shape[2], p.KernelSize.W, p.Stride.W, 1, p.Padding, p.Padding.W)],
        AdaptiveAvgPool2d a => [shape[0], a.OutputSize.H, a.OutputSize.W],
        Flatten => [shape.Aggregate(1L, (a, b) => a * b)],
        _ => shape,
    };

    private static long Along(long n, long kernel, long stride, long dilation, Padding2d padding, long explicitPad) => padding.Kind switch
    {
        "same" => (n + stride - 1) / stride,
        "explicit" => (n + 2 * explicitPad - (kernel - 1) * dilation - 1) / stride + 1,
        _ => (n - (kernel - 1) * dilation - 1) / stride + 1,
    };
}
