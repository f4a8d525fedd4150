namespace MnistMl.Torch.Tests;

/// <summary>Tensor arithmetic, reductions, shape operations and comparisons against PyTorch, with gradients.</summary>
[TestClass]
public sealed class TensorOpsParityTests
{
    private const double S = 1.7;

    private static Tensor A() => Inputs.Make([2, 3], salt: 3);
    private static Tensor B() => Inputs.Make([3], salt: 4);
    private static Tensor PositiveA() => Inputs.Make([2, 3], salt: 5, scale: 0.8, offset: 1.5);
    private static Tensor PositiveB() => Inputs.Make([3], salt: 6, scale: 0.5, offset: 2.0);
    private static Tensor X() => Inputs.Make([3, 4], salt: 8);
    private static Tensor Y() => Inputs.Make([2, 3, 4], salt: 9);
    private static Tensor Z() => Inputs.Make([2, 3, 4], salt: 10);

    // ---- arithmetic (broadcasting [2, 3] with [3]: the gradient of b is summed over the broadcast rows) ----

    [TestMethod] public void AddBroadcasts() => Parity.Check("Add", (a, b) => a + b, A(), B());
    [TestMethod] public void SubBroadcasts() => Parity.Check("Sub", (a, b) => a - b, A(), B());
    [TestMethod] public void MulBroadcasts() => Parity.Check("Mul", (a, b) => a * b, A(), B());
    [TestMethod] public void DivBroadcasts() => Parity.Check("Div", (a, b) => a / b, A(), PositiveB());
    [TestMethod] public void AddWithAlpha() => Parity.Check("AddAlpha", (a, b) => a.Add(b, alpha: -2.5), A(), B());
    [TestMethod] public void AddScalar() => Parity.Check("AddScalar", a => a + S, A());
    [TestMethod] public void SubScalar() => Parity.Check("SubScalar", a => a - S, A());
    [TestMethod] public void ScalarMinusTensor() => Parity.Check("ScalarSub", a => S - a, A());
    [TestMethod] public void MulScalar() => Parity.Check("MulScalar", a => a * S, A());
    [TestMethod] public void DivScalar() => Parity.Check("DivScalar", a => a / S, A());
    [TestMethod] public void ScalarDividedByTensor() => Parity.Check("ScalarDiv", a => S / a, PositiveA());
    [TestMethod] public void Negate() => Parity.Check("Neg", a => -a, A());
    [TestMethod] public void PowScalarExponent() => Parity.Check("PowScalar", a => a.Pow(2.5), PositiveA());
    [TestMethod] public void PowIntegerExponentOfNegativeBase() => Parity.Check("PowInteger", a => a.Pow(3), A());
    [TestMethod] public void PowTensorExponent() => Parity.Check("PowTensor", (a, b) => a.Pow(b), PositiveA(), B());
    [TestMethod] public void Sqrt() => Parity.Check("Sqrt", a => a.Sqrt(), PositiveA());
    [TestMethod] public void Abs() => Parity.Check("Abs", a => a.Abs(), A());
    [TestMethod] public void Exp() => Parity.Check("Exp", a => a.Exp(), A());
    [TestMethod] public void Log() => Parity.Check("Log", a => a.Log(), PositiveA());
    [TestMethod] public void Square() => Parity.Check("Square", a => a.Square(), A());
    [TestMethod] public void MaximumBroadcasts() => Parity.Check("Maximum", (a, b) => a.Maximum(b), A(), B());
    [TestMethod] public void ClampBothBounds() => Parity.Check("ClampBoth", a => a.Clamp(-0.5, 0.6), A());
    [TestMethod] public void ClampMinOnly() => Parity.Check("ClampMin", a => a.Clamp(min: -0.2), A());
    [TestMethod] public void ClampMaxOnly() => Parity.Check("ClampMax", a => a.Clamp(max: 0.3), A());
    [TestMethod] public void MatMul() => Parity.Check("MatMul", (a, m) => a.MatMul(m), A(), Inputs.Make([3, 4], salt: 7));

    // ---- reductions ----

    [TestMethod] public void SumOfAllElements() => Parity.Check("SumAll", x => x.Sum(), X());
    [TestMethod] public void SumOverDim1() => Parity.Check("SumDim1", x => x.Sum(1), X());
    [TestMethod] public void SumOverDim0KeepDim() => Parity.Check("SumDim0KeepDim", x => x.Sum(0, keepDim: true), X());
    [TestMethod] public void MeanOfAllElements() => Parity.Check("MeanAll", x => x.Mean(), X());
    [TestMethod] public void MeanOverDim0() => Parity.Check("MeanDim0", x => x.Mean(0), X());
    [TestMethod] public void MeanOverSeveralDimsKeepDim() => Parity.Check("MeanDimsKeepDim", x => x.Mean([0, 1], keepDim: true), X());
    [TestMethod] public void MaxOfAllElements() => Parity.Check("MaxAll", x => x.Max(), X());
    [TestMethod] public void MaxOverDimValues() => Parity.Check("MaxDim1Values", x => x.Max(1).Values, X());

    [TestMethod]
    public void MaxOverDimIndices()
    {
        using var x = X();
        var (values, indices) = x.Max(1);
        using (values)
        using (indices)
        {
            Assert.AreEqual(ScalarType.Int64, indices.Dtype);
            Parity.Output("MaxDim1Indices", indices, 0, 0);
        }
    }

    [TestMethod]
    public void Argmax()
    {
        using var x = X();
        using var all = x.Argmax();
        Parity.Output("ArgmaxAll", all, 0, 0);
        using var dim0 = x.Argmax(0);
        Parity.Output("ArgmaxDim0", dim0, 0, 0);
        using var dim1 = x.Argmax(1, keepDim: true);
        Parity.Output("ArgmaxDim1KeepDim", dim1, 0, 0);
    }

    // ---- shape operations (values are moved, never computed: exact) ----

    [TestMethod]
    public void ReshapePermuteTranspose()
    {
        using var scope = torch.NewDisposeScope();
        var y = Y();
        Parity.Output("Reshape", y.Reshape(4, 6), 0, 0);
        Parity.Output("Permute", y.Permute(2, 0, 1), 0, 0);
        Parity.Output("Transpose", y.Transpose(0, 2), 0, 0);
    }

    [TestMethod]
    public void CatAndStack()
    {
        using var scope = torch.NewDisposeScope();
        var y = Y();
        var z = Z();
        Parity.Output("Cat0", torch.Cat([y, z], 0), 0, 0);
        Parity.Output("Cat2", torch.Cat([y, z], 2), 0, 0);
        Parity.Output("Stack0", torch.Stack([y, z], 0), 0, 0);
        Parity.Output("Stack1", torch.Stack([y, z], 1), 0, 0);
    }

    [TestMethod]
    public void PermuteRoutesGradientsBack()
    {
        using var scale = Inputs.Make([4, 2, 3], salt: 11);
        Parity.Check("PermuteGrad", y => y.Permute(2, 0, 1) * scale, Y());
    }

    [TestMethod] public void CatSplitsGradients() => Parity.Check("CatGrad", (y, z) => torch.Cat([y, z], 1), Y(), Z());
    [TestMethod] public void StackSplitsGradients() => Parity.Check("StackGrad", (y, z) => torch.Stack([y, z], 2), Y(), Z());

    // ---- comparisons (bool results, compared as 0/1) ----

    [TestMethod]
    public void ComparisonsWithBroadcastingAndTies()
    {
        using var scope = torch.NewDisposeScope();
        // Rounded so that some elements tie.
        var a = (A() * 3).Round();
        var b = (B() * 3).Round();
        foreach (var (name, result) in new[]
                 {
                     ("CompareEq", a.Eq(b)), ("CompareNe", a.Ne(b)), ("CompareLt", a.Lt(b)),
                     ("CompareLe", a.Le(b)), ("CompareGt", a.Gt(b)), ("CompareGe", a.Ge(b)),
                 })
        {
            Assert.AreEqual(ScalarType.Bool, result.Dtype, name);
            Parity.Output(name, result, 0, 0);
        }
    }

    [TestMethod]
    public void ComparisonsWithScalars()
    {
        using var scope = torch.NewDisposeScope();
        var a = A();
        var rounded = (a * 3).Round();
        Parity.Output("CompareGtScalar", a.Gt(0.1), 0, 0);
        Parity.Output("CompareLeScalar", rounded.Le(1.0), 0, 0);
        Parity.Output("CompareEqScalar", rounded.Eq(1.0), 0, 0);
    }
}
