using MnistMl.Torch.NN;

namespace MnistMl.Torch.Tests;

/// <summary>Every activation, functional and as a Keras-named <see cref="Activation"/> module, against PyTorch (Keras definitions where they differ).</summary>
[TestClass]
public sealed class ActivationParityTests
{
    /// <summary>The input of every activation case: scale 7 reaches relu6's and hard_sigmoid's saturation.</summary>
    private static Tensor Input() => Inputs.Make([4, 6], salt: 1, scale: 7);

    private static void CheckFunctional(string name, Func<Tensor, Tensor> activation) =>
        Parity.Check($"Activation_{name}", activation, Input());

    [TestMethod] public void Relu() => CheckFunctional("relu", Functional.Relu);
    [TestMethod] public void Relu6SaturatesAtSix() => CheckFunctional("relu6", Functional.Relu6);
    [TestMethod] public void LeakyReluWithKerasSlope() => CheckFunctional("leaky_relu", x => Functional.LeakyRelu(x, 0.3));
    [TestMethod] public void Elu() => CheckFunctional("elu", x => Functional.Elu(x, 1.0));
    [TestMethod] public void Selu() => CheckFunctional("selu", Functional.Selu);
    [TestMethod] public void GeluExact() => CheckFunctional("gelu", x => Functional.Gelu(x));
    [TestMethod] public void GeluTanhApproximation() => CheckFunctional("gelu_tanh", x => Functional.Gelu(x, tanhApproximation: true));
    [TestMethod] public void Sigmoid() => CheckFunctional("sigmoid", Functional.Sigmoid);
    [TestMethod] public void HardSigmoidIsKerasClip() => CheckFunctional("hard_sigmoid", Functional.HardSigmoid);
    [TestMethod] public void Tanh() => CheckFunctional("tanh", Functional.Tanh);
    [TestMethod] public void Softplus() => CheckFunctional("softplus", x => Functional.Softplus(x));
    [TestMethod] public void Softsign() => CheckFunctional("softsign", Functional.Softsign);
    [TestMethod] public void SwishIsSilu() => CheckFunctional("swish", Functional.Silu);
    [TestMethod] public void Exponential() => CheckFunctional("exponential", Functional.Exponential);
    [TestMethod] public void LinearIsIdentity() => CheckFunctional("linear", x => Activation.Apply(ActivationKind.Linear, x));
    [TestMethod] public void SoftmaxOverLastDimension() => CheckFunctional("softmax", x => Functional.Softmax(x));
    [TestMethod] public void LogSoftmaxOverLastDimension() => CheckFunctional("log_softmax", x => Functional.LogSoftmax(x));

    [TestMethod]
    [DataRow("linear")]
    [DataRow("relu")]
    [DataRow("relu6")]
    [DataRow("leaky_relu")]
    [DataRow("elu")]
    [DataRow("selu")]
    [DataRow("gelu")]
    [DataRow("sigmoid")]
    [DataRow("hard_sigmoid")]
    [DataRow("tanh")]
    [DataRow("softplus")]
    [DataRow("softsign")]
    [DataRow("swish")]
    [DataRow("exponential")]
    [DataRow("softmax")]
    [DataRow("log_softmax")]
    public void ActivationModuleByKerasName(string kerasName)
    {
        using var module = new Activation(kerasName);
        Parity.Check($"Activation_{kerasName}", module.Forward, Input());
    }

    [TestMethod]
    public void ActivationModuleAcceptsSiluAndCamelCaseNames()
    {
        using var silu = new Activation("silu");
        Parity.Check("Activation_swish", silu.Forward, Input());
        using var hardSigmoid = new Activation("HardSigmoid");
        Parity.Check("Activation_hard_sigmoid", hardSigmoid.Forward, Input());
        using var leaky = new Activation("LeakyReLU");
        Parity.Check("Activation_leaky_relu", leaky.Forward, Input());
    }

    [TestMethod]
    public void EveryActivationNameHasAReferenceCase()
    {
        foreach (var name in Activation.Names)
            Assert.IsTrue(TorchReference.ByName.ContainsKey($"Activation_{name}_Output"), $"no PyTorch reference for activation '{name}'");
    }
}
