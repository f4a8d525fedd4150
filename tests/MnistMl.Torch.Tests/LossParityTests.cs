using MnistMl.Torch.NN;

namespace MnistMl.Torch.Tests;

/// <summary>Losses and Keras weight penalties against PyTorch, with gradients of the logits/inputs.</summary>
[TestClass]
public sealed class LossParityTests
{
    private static Tensor Logits() => Inputs.Make([5, 4], salt: 80, scale: 2.0);
    private static Tensor Targets() => Inputs.Classes(5, 4, salt: 1);

    /// <summary>Soft class probabilities: softmax over classes of a formula tensor.</summary>
    private static Tensor SoftTargets()
    {
        using var raw = Inputs.Make([5, 4], salt: 81, scale: 1.5);
        return Functional.Softmax(raw, 1);
    }

    private static Tensor OneHotTargets()
    {
        using var targets = Targets();
        using var oneHot = targets.OneHot(4);
        return oneHot.To(ScalarType.Float32);
    }

    [TestMethod]
    public void TargetsAreTheSameClassIndices()
    {
        using var targets = Targets();
        Parity.Values("LossTargets", targets, 0, 0);
    }

    [TestMethod]
    [DataRow(Reduction.Mean)]
    [DataRow(Reduction.Sum)]
    [DataRow(Reduction.None)]
    public void CrossEntropyWithClassIndices(Reduction reduction)
    {
        using var targets = Targets();
        Parity.Check($"CrossEntropyIndices{reduction}", z => Functional.CrossEntropy(z, targets, reduction: reduction), Logits());
    }

    [TestMethod]
    public void CrossEntropyWithOneHotTargetsEqualsPyTorch()
    {
        using var targets = OneHotTargets();
        Parity.Check("CrossEntropyOneHot", z => Functional.CrossEntropy(z, targets), Logits());
    }

    [TestMethod]
    public void CrossEntropyWithSoftTargets()
    {
        using var targets = SoftTargets();
        Parity.Check("CrossEntropySoftTargets", z => Functional.CrossEntropy(z, targets), Logits());
    }

    [TestMethod]
    public void CrossEntropyWithSoftTargetsReductionNone()
    {
        using var targets = SoftTargets();
        Parity.Check("CrossEntropySoftTargetsNone", z => Functional.CrossEntropy(z, targets, reduction: Reduction.None), Logits());
    }

    [TestMethod]
    public void CrossEntropyGradientReachesSoftTargets() =>
        Parity.Check("CrossEntropySoftTargetsBoth", (z, t) => Functional.CrossEntropy(z, t), Logits(), SoftTargets());

    [TestMethod]
    public void CrossEntropyWithLabelSmoothing()
    {
        using var targets = Targets();
        Parity.Check("CrossEntropyLabelSmoothing", z => Functional.CrossEntropy(z, targets, labelSmoothing: 0.1), Logits());
    }

    [TestMethod]
    public void CrossEntropyWithLabelSmoothingOnSoftTargets()
    {
        using var targets = SoftTargets();
        Parity.Check("CrossEntropyLabelSmoothingSoftTargets", z => Functional.CrossEntropy(z, targets, labelSmoothing: 0.1), Logits());
    }

    [TestMethod]
    public void CrossEntropyWithClassWeights()
    {
        using var targets = Targets();
        using var weight = Inputs.Make([4], salt: 85, scale: 0.5, offset: 1.0);
        Parity.Check("CrossEntropyClassWeights", z => Functional.CrossEntropy(z, targets, weight), Logits());
    }

    [TestMethod]
    [DataRow("CrossEntropyIgnoreIndex", Reduction.Mean)]
    [DataRow("CrossEntropyIgnoreIndexNone", Reduction.None)]
    public void CrossEntropySkipsIgnoredTargets(string name, Reduction reduction)
    {
        using var targets = torch.FromArray(new long[] { 1, -100, 3, 2, -100 });
        Parity.Check(name, z => Functional.CrossEntropy(z, targets, reduction: reduction), Logits());
    }

    [TestMethod]
    [DataRow(Reduction.Mean)]
    [DataRow(Reduction.Sum)]
    [DataRow(Reduction.None)]
    public void NllLoss(Reduction reduction)
    {
        using var targets = Targets();
        Parity.Check($"NllLoss{reduction}", p => Functional.NllLoss(p, targets, reduction: reduction), Inputs.Make([5, 4], salt: 82));
    }

    [TestMethod]
    [DataRow(Reduction.Mean)]
    [DataRow(Reduction.Sum)]
    [DataRow(Reduction.None)]
    public void MseLossGradientsOfInputAndTarget(Reduction reduction) =>
        Parity.Check($"MseLoss{reduction}", (a, b) => Functional.MseLoss(a, b, reduction), Inputs.Make([3, 4], salt: 83), Inputs.Make([3, 4], salt: 84));

    [TestMethod]
    [DataRow(Reduction.Mean)]
    [DataRow(Reduction.Sum)]
    [DataRow(Reduction.None)]
    public void L1LossGradientsOfInputAndTarget(Reduction reduction) =>
        Parity.Check($"L1Loss{reduction}", (a, b) => Functional.L1Loss(a, b, reduction), Inputs.Make([3, 4], salt: 83), Inputs.Make([3, 4], salt: 84));

    [TestMethod]
    public void L1PenaltyIsKerasFactorTimesSumOfMagnitudes() =>
        Parity.Check("L1Penalty", w => Functional.L1Penalty(w, 0.01), Inputs.Make([4, 3], salt: 86));

    [TestMethod]
    public void L2PenaltyIsKerasFactorTimesSumOfSquares() =>
        Parity.Check("L2Penalty", w => Functional.L2Penalty(w, 0.02), Inputs.Make([4, 3], salt: 86));
}
