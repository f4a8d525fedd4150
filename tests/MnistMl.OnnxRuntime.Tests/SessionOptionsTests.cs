namespace MnistMl.OnnxRuntime.Tests;

[TestClass]
public sealed class SessionOptionsTests
{
    private static float[] RunMlp(SessionOptions options)
    {
        using var session = new InferenceSession(TestModels.Mlp, options);
        return session.Run("x", OnnxTensor.FromArray(OnnxReference.MlpInput, 5, 4)).GetData<float>();
    }

    [TestMethod]
    public void DefaultsAreOrtDefaultsOnTheCpu()
    {
        using var options = new SessionOptions();
        Assert.AreEqual(0, options.IntraOpNumThreads);
        Assert.AreEqual(0, options.InterOpNumThreads);
        Assert.AreEqual(GraphOptimizationLevel.All, options.GraphOptimizationLevel);
        Assert.AreEqual(ExecutionMode.Sequential, options.ExecutionMode);
        CollectionAssert.AreEqual(new[] { ExecutionProvider.Cpu }, options.ExecutionProviders.ToArray());
        Assert.IsEmpty(options.ProviderNotes);
    }

    [TestMethod]
    [DataRow(1, 1, ExecutionMode.Sequential, GraphOptimizationLevel.Disabled)]
    [DataRow(2, 1, ExecutionMode.Sequential, GraphOptimizationLevel.Basic)]
    [DataRow(1, 2, ExecutionMode.Parallel, GraphOptimizationLevel.Extended)]
    [DataRow(3, 2, ExecutionMode.Parallel, GraphOptimizationLevel.All)]
    public void ThreadAndOptimizationSettingsGiveTheSameResults(int intraOp, int interOp, ExecutionMode mode, GraphOptimizationLevel level)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOp,
            InterOpNumThreads = interOp,
            ExecutionMode = mode,
            GraphOptimizationLevel = level,
        };
        Assert.AreEqual(intraOp, options.IntraOpNumThreads);
        Assert.AreEqual(interOp, options.InterOpNumThreads);
        TestModels.AreClose(OnnxReference.MlpProbabilities, RunMlp(options), 1e-6f, "probabilities");
    }

    [TestMethod]
    public void NegativeThreadCountsAreRejected()
    {
        using var options = new SessionOptions();
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.IntraOpNumThreads = -1);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.InterOpNumThreads = -2);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.GraphOptimizationLevel = (GraphOptimizationLevel)42);
    }

    [TestMethod]
    public void OptionsCanBeDisposedOnceTheSessionExists()
    {
        var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(TestModels.Mlp, options);
        options.Dispose();
        var outputs = session.Run(new Dictionary<string, OnnxTensor> { ["x"] = OnnxTensor.FromArray(OnnxReference.MlpInput, 5, 4) });
        TestModels.AreClose(OnnxReference.MlpProbabilities, outputs["probabilities"].GetData<float>(), 1e-6f, "probabilities");
    }

    [TestMethod]
    public void CudaRequestFailsClearlyWithoutTheCudaProvider()
    {
        using var options = new SessionOptions();
        var error = Assert.ThrowsExactly<OnnxRuntimeException>(() => options.AppendCudaExecutionProvider(deviceId: 0));
        StringAssert.StartsWith(error.Message, "The CUDA execution provider is unavailable in ONNX Runtime 1.30.0");
        Assert.Contains("libonnxruntime_providers_cuda.so", error.Message); // the onnxruntime-node package does not ship it
        Assert.Contains("fallbackToCpu", error.Message);
        Assert.AreNotEqual(OnnxRuntimeErrorCode.Ok, error.ErrorCode);
        CollectionAssert.AreEqual(new[] { ExecutionProvider.Cpu }, options.ExecutionProviders.ToArray());
        Assert.IsEmpty(options.ProviderNotes);
        // The failed request leaves the options usable on the CPU.
        TestModels.AreClose(OnnxReference.MlpProbabilities, RunMlp(options), 1e-6f, "probabilities");
    }

    [TestMethod]
    public void CudaRequestWithFallbackRunsOnTheCpu()
    {
        using var options = new SessionOptions();
        Assert.IsFalse(options.AppendCudaExecutionProvider(deviceId: 0, fallbackToCpu: true));
        CollectionAssert.AreEqual(new[] { ExecutionProvider.Cpu }, options.ExecutionProviders.ToArray());
        Assert.HasCount(1, options.ProviderNotes);
        StringAssert.StartsWith(options.ProviderNotes[0], "CUDA device 0 was requested, but sessions run on the CPU.");

        using var session = new InferenceSession(TestModels.Mlp, options);
        CollectionAssert.AreEqual(new[] { ExecutionProvider.Cpu }, session.ExecutionProviders.ToArray());
        var probabilities = session.Run("x", OnnxTensor.FromArray(OnnxReference.MlpInput, 5, 4)).GetData<float>();
        TestModels.AreClose(OnnxReference.MlpProbabilities, probabilities, 1e-6f, "probabilities");
    }
}
