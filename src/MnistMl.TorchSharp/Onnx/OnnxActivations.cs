using MnistMl.Trainers.Keras;

namespace MnistMl.Onnx;

/// <summary>
/// The activations of <see cref="KerasActivations.Apply"/> as ONNX opset-13 nodes, with the same semantics: relu6 as
/// Clip(0, 6), exact GELU as 0.5·x·(1 + erf(x/√2)), Keras' hard_sigmoid as HardSigmoid(α 0.2, β 0.5), swish as
/// x·sigmoid(x), softmax and log-softmax over the last axis; leaky_relu's slope and elu's α are the layer's.
/// </summary>
internal static class OnnxActivations
{
    /// <summary>Applies <paramref name="kind"/> to <paramref name="x"/>; returns the activated value (x itself for linear).</summary>
    public static string Write(OnnxGraphBuilder g, ActivationKind kind, double alpha, string x, string prefix)
    {
        string Op(string opType, params MnistMl.Onnx.Proto.AttributeProto[] attributes) => g.Node(opType, [x], $"{prefix}/{opType}", attributes);
        switch (kind)
        {
            case ActivationKind.Linear: return x;
            case ActivationKind.Relu: return Op("Relu");
            case ActivationKind.Relu6:
                return g.Node("Clip", [x, g.Scalar($"{prefix}/relu6_min", 0f), g.Scalar($"{prefix}/relu6_max", 6f)], $"{prefix}/Clip");
            case ActivationKind.LeakyRelu: return Op("LeakyRelu", OnnxAttributes.Float("alpha", (float)alpha));
            case ActivationKind.Elu: return Op("Elu", OnnxAttributes.Float("alpha", (float)alpha));
            // ONNX's default α and γ are PyTorch's SELU constants rounded to float.
            case ActivationKind.Selu: return Op("Selu");
            case ActivationKind.Gelu:
            {
                var scaled = g.Node("Mul", [x, g.Scalar($"{prefix}/gelu_inv_sqrt2", (float)(1 / Math.Sqrt(2)))], $"{prefix}/gelu_scaled");
                var erf = g.Node("Erf", [scaled], $"{prefix}/gelu_erf");
                var onePlus = g.Node("Add", [erf, g.Scalar($"{prefix}/gelu_one", 1f)], $"{prefix}/gelu_one_plus_erf");
                var halfX = g.Node("Mul", [x, g.Scalar($"{prefix}/gelu_half", 0.5f)], $"{prefix}/gelu_half_x");
                return g.Node("Mul", [halfX, onePlus], $"{prefix}/Gelu");
            }
            case ActivationKind.Sigmoid: return Op("Sigmoid");
            case ActivationKind.HardSigmoid: return Op("HardSigmoid", OnnxAttributes.Float("alpha", 0.2f), OnnxAttributes.Float("beta", 0.5f));
            case ActivationKind.Tanh: return Op("Tanh");
            case ActivationKind.Softplus: return Op("Softplus");
            case ActivationKind.Softsign: return Op("Softsign");
            case ActivationKind.Swish:
            {
                var sigmoid = g.Node("Sigmoid", [x], $"{prefix}/swish_sigmoid");
                return g.Node("Mul", [x, sigmoid], $"{prefix}/Swish");
            }
            case ActivationKind.Exponential: return Op("Exp");
            case ActivationKind.Softmax: return Op("Softmax", OnnxAttributes.Int("axis", -1));
            case ActivationKind.LogSoftmax: return Op("LogSoftmax", OnnxAttributes.Int("axis", -1));
            default: throw new NotSupportedException($"{prefix}: the activation {kind} cannot be exported to ONNX.");
        }
    }
}
