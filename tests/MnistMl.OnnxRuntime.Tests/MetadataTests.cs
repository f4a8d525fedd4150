namespace MnistMl.OnnxRuntime.Tests;

[TestClass]
public sealed class MetadataTests
{
    [TestMethod]
    public void EnvironmentReportsTheLoadedRuntime()
    {
        var environment = OrtEnvironment.Instance;
        Assert.AreEqual("1.30.0", environment.Version);
        Assert.AreEqual(30u, OrtEnvironment.ApiVersion);
        Assert.EndsWith("libonnxruntime.so.1", environment.LibraryPath);
        CollectionAssert.Contains(environment.AvailableProviders.ToArray(), ExecutionProvider.Cpu);
        Assert.AreSame(environment, OrtEnvironment.Instance);
    }

    [TestMethod]
    public void MlpHasOneDynamicBatchInputAndTwoOutputs()
    {
        using var session = new InferenceSession(TestModels.Mlp);
        Assert.AreEqual(TestModels.Mlp, session.ModelPath);
        CollectionAssert.AreEqual(new[] { "x" }, session.InputNames.ToArray());
        CollectionAssert.AreEqual(new[] { "probabilities", "hidden" }, session.OutputNames.ToArray());

        var x = session.InputMetadata[0];
        Assert.IsTrue(x.IsTensor);
        Assert.AreEqual(TensorElementType.Float, x.ElementType);
        CollectionAssert.AreEqual(new long[] { -1, 4 }, x.Shape.ToArray());
        CollectionAssert.AreEqual(new[] { "N", "" }, x.SymbolicDimensions.ToArray());
        Assert.AreEqual("x: Float[N,4]", x.ToString());

        CollectionAssert.AreEqual(new long[] { -1, 3 }, session.OutputMetadata[0].Shape.ToArray());
        CollectionAssert.AreEqual(new long[] { -1, 5 }, session.OutputMetadata[1].Shape.ToArray());
        CollectionAssert.AreEqual(new[] { ExecutionProvider.Cpu }, session.ExecutionProviders.ToArray());
    }

    [TestMethod]
    public void CastModelHasUInt8InputAndFloatAndInt64Outputs()
    {
        using var session = new InferenceSession(TestModels.CastUInt8);
        Assert.AreEqual("pixels: UInt8[N,2,2]", session.InputMetadata[0].ToString());
        Assert.AreEqual("scaled: Float[N,2,2]", session.OutputMetadata[0].ToString());
        Assert.AreEqual("brightest: Int64[N]", session.OutputMetadata[1].ToString());
    }

    [TestMethod]
    public void TypesModelCoversInt32DoubleAndBool()
    {
        using var session = new InferenceSession(TestModels.Types);
        CollectionAssert.AreEqual(new[] { TensorElementType.Int32, TensorElementType.Double, TensorElementType.Bool },
            session.InputMetadata.Select(m => m.ElementType).ToArray());
        CollectionAssert.AreEqual(new[] { "counts_plus_one", "doubled", "negated" }, session.OutputNames.ToArray());
    }

    [TestMethod]
    public void AddMulLoadsFromBytes()
    {
        using var session = new InferenceSession(File.ReadAllBytes(TestModels.AddMul));
        Assert.IsNull(session.ModelPath);
        CollectionAssert.AreEqual(new[] { "a", "b" }, session.InputNames.ToArray());
        CollectionAssert.AreEqual(new[] { "sum", "product" }, session.OutputNames.ToArray());
    }
}
