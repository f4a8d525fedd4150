namespace MnistMl.OnnxRuntime.Tests;

/// <summary>Runs against the expected outputs in OnnxReference.g.cs (numpy, float32).</summary>
[TestClass]
public sealed class RunTests
{
    private const float MlpTolerance = 1e-6f;

    private static Dictionary<string, OnnxTensor> MlpInput(int batch) =>
        new() { ["x"] = OnnxTensor.FromArray(TestModels.Rows(OnnxReference.MlpInput, batch, 4), batch, 4) };

    [TestMethod]
    [DataRow(1)]
    [DataRow(5)]
    public void MlpMatchesNumpy(int batch)
    {
        using var session = new InferenceSession(TestModels.Mlp);
        var outputs = session.Run(MlpInput(batch));

        CollectionAssert.AreEqual(new[] { "probabilities", "hidden" }, outputs.Keys.ToArray());
        var probabilities = outputs["probabilities"];
        Assert.AreEqual(TensorElementType.Float, probabilities.ElementType);
        CollectionAssert.AreEqual(new long[] { batch, 3 }, probabilities.Shape.ToArray());
        TestModels.AreClose(TestModels.Rows(OnnxReference.MlpProbabilities, batch, 3), probabilities.GetData<float>(), MlpTolerance, "probabilities");
        CollectionAssert.AreEqual(new long[] { batch, 5 }, outputs["hidden"].Shape.ToArray());
        TestModels.AreClose(TestModels.Rows(OnnxReference.MlpHidden, batch, 5), outputs["hidden"].GetData<float>(), MlpTolerance, "hidden");
    }

    [TestMethod]
    public void FetchesOnlyTheIntermediateOutput()
    {
        using var session = new InferenceSession(TestModels.Mlp);
        var outputs = session.Run(MlpInput(5), ["hidden"]);
        CollectionAssert.AreEqual(new[] { "hidden" }, outputs.Keys.ToArray());
        TestModels.AreClose(OnnxReference.MlpHidden, outputs["hidden"].GetData<float>(), MlpTolerance, "hidden");
    }

    [TestMethod]
    public void FetchesOutputsInTheRequestedOrder()
    {
        using var session = new InferenceSession(TestModels.Mlp);
        var outputs = session.Run(MlpInput(2), ["hidden", "probabilities"]);
        CollectionAssert.AreEqual(new[] { "hidden", "probabilities" }, outputs.Keys.ToArray());
        TestModels.AreClose(TestModels.Rows(OnnxReference.MlpProbabilities, 2, 3), outputs["probabilities"].GetData<float>(), MlpTolerance, "probabilities");
    }

    [TestMethod]
    public void SingleInputOverloadReturnsTheNamedOutput()
    {
        using var session = new InferenceSession(TestModels.Mlp);
        var probabilities = session.Run("x", OnnxTensor.FromArray(TestModels.Rows(OnnxReference.MlpInput, 1, 4), 1, 4));
        TestModels.AreClose(TestModels.Rows(OnnxReference.MlpProbabilities, 1, 3), probabilities.GetData<float>(), MlpTolerance, "probabilities");
        var hidden = session.Run("x", OnnxTensor.FromArray(TestModels.Rows(OnnxReference.MlpInput, 1, 4), 1, 4), "hidden");
        CollectionAssert.AreEqual(new long[] { 1, 5 }, hidden.Shape.ToArray());
    }

    [TestMethod]
    public void InputArraysAreNotModified()
    {
        using var session = new InferenceSession(TestModels.Mlp);
        var data = (float[])OnnxReference.MlpInput.Clone();
        var input = OnnxTensor.FromArray(data, 5, 4);
        Assert.AreSame(data, input.Data);
        session.Run(new Dictionary<string, OnnxTensor> { ["x"] = input });
        CollectionAssert.AreEqual(OnnxReference.MlpInput, data);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(5)]
    public void UInt8InputGivesScaledFloatsAndInt64ArgMax(int batch)
    {
        using var session = new InferenceSession(TestModels.CastUInt8);
        var pixels = OnnxTensor.FromArray(OnnxReference.Pixels[^(batch * 4)..], batch, 2, 2); // batch 1 is the last sample: the tie
        var outputs = session.Run(new Dictionary<string, OnnxTensor> { ["pixels"] = pixels });

        var scaled = outputs["scaled"];
        CollectionAssert.AreEqual(new long[] { batch, 2, 2 }, scaled.Shape.ToArray());
        CollectionAssert.AreEqual(OnnxReference.PixelsScaled[^(batch * 4)..], scaled.GetData<float>());

        var brightest = outputs["brightest"];
        Assert.AreEqual(TensorElementType.Int64, brightest.ElementType);
        CollectionAssert.AreEqual(new long[] { batch }, brightest.Shape.ToArray());
        CollectionAssert.AreEqual(OnnxReference.PixelsBrightest[^batch..], brightest.GetData<long>());
    }

    [TestMethod]
    public void Int32DoubleAndBoolRoundTrip()
    {
        using var session = new InferenceSession(TestModels.Types);
        var outputs = session.Run(new Dictionary<string, OnnxTensor>
        {
            ["counts"] = OnnxTensor.FromArray(new[] { -2, 0, int.MaxValue - 1 }, 3),
            ["values"] = OnnxTensor.FromArray(new[] { 0.1, -2.5, 1e300 }, 3),
            ["flags"] = OnnxTensor.FromArray(new[] { true, false, true }, 3),
        });
        CollectionAssert.AreEqual(new[] { -1, 1, int.MaxValue }, outputs["counts_plus_one"].GetData<int>());
        CollectionAssert.AreEqual(new[] { 0.2, -5.0, 2e300 }, outputs["doubled"].GetData<double>());
        CollectionAssert.AreEqual(new[] { false, true, false }, outputs["negated"].GetData<bool>());
    }

    [TestMethod]
    public void EmptyBatchGivesEmptyOutputs()
    {
        using var session = new InferenceSession(TestModels.AddMul);
        var outputs = session.Run(new Dictionary<string, OnnxTensor>
        {
            ["a"] = OnnxTensor.FromArray(Array.Empty<float>(), 0, 3),
            ["b"] = OnnxTensor.FromArray(Array.Empty<float>(), 0, 3),
        });
        CollectionAssert.AreEqual(new long[] { 0, 3 }, outputs["sum"].Shape.ToArray());
        Assert.AreEqual(0, outputs["product"].ElementCount);
    }

    [TestMethod]
    public void AddMulMatchesNumpyAndRunsConcurrently()
    {
        using var session = new InferenceSession(TestModels.AddMul);
        var inputs = new Dictionary<string, OnnxTensor>
        {
            ["a"] = OnnxTensor.FromArray(OnnxReference.AddMulA, 5, 3),
            ["b"] = OnnxTensor.FromArray(OnnxReference.AddMulB, 5, 3),
        };
        Parallel.For(0, 64, _ =>
        {
            var outputs = session.Run(inputs);
            CollectionAssert.AreEqual(OnnxReference.AddMulSum, outputs["sum"].GetData<float>());
            CollectionAssert.AreEqual(OnnxReference.AddMulProduct, outputs["product"].GetData<float>());
        });
    }

    [TestMethod]
    public void GetDataChecksTheElementType()
    {
        var tensor = OnnxTensor.FromArray(new byte[] { 1, 2 }, 2);
        Assert.AreEqual(TensorElementType.UInt8, tensor.ElementType);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => tensor.GetData<float>());
        Assert.Contains("UInt8", error.Message);
    }

    [TestMethod]
    public void TensorShapeMustHoldTheData()
    {
        Assert.Contains("holds 6 elements, but the array has 5", Assert.ThrowsExactly<ArgumentException>(() => OnnxTensor.FromArray(new float[5], 2, 3)).Message);
        Assert.Contains("negative", Assert.ThrowsExactly<ArgumentException>(() => OnnxTensor.FromArray(new float[0], -1, 0)).Message);
        Assert.Contains("Char", Assert.ThrowsExactly<ArgumentException>(() => OnnxTensor.FromArray(new char[1], 1)).Message);
        Assert.AreEqual(0, OnnxTensor.FromArray(new float[1]).Rank);
    }
}
