namespace MnistMl.OnnxRuntime.Tests;

[TestClass]
public sealed class DisposalTests
{
    [TestMethod]
    public void RunAfterDisposeThrowsObjectDisposed()
    {
        var session = new InferenceSession(TestModels.Mlp);
        var input = new Dictionary<string, OnnxTensor> { ["x"] = OnnxTensor.FromArray(new float[4], 1, 4) };
        session.Run(input);
        session.Dispose();
        var error = Assert.ThrowsExactly<ObjectDisposedException>(() => session.Run(input));
        Assert.Contains(nameof(InferenceSession), error.ObjectName);
        Assert.ThrowsExactly<ObjectDisposedException>(() => session.Run("x", input["x"]));
        session.Dispose(); // twice is fine
        Assert.AreEqual("x", session.InputMetadata[0].Name); // metadata is managed: still readable
    }

    [TestMethod]
    public void OptionsAfterDisposeThrowObjectDisposed()
    {
        var options = new SessionOptions();
        options.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => options.IntraOpNumThreads = 1);
        Assert.ThrowsExactly<ObjectDisposedException>(() => options.GraphOptimizationLevel = GraphOptimizationLevel.Basic);
        Assert.ThrowsExactly<ObjectDisposedException>(() => options.AppendCudaExecutionProvider(fallbackToCpu: true));
        Assert.ThrowsExactly<ObjectDisposedException>(() => new InferenceSession(TestModels.Mlp, options));
        options.Dispose();
    }

    [TestMethod]
    public void UndisposedSessionsAreReleasedByTheFinalizer()
    {
        static void Leak()
        {
            for (var i = 0; i < 20; i++) _ = new InferenceSession(TestModels.Mlp);
        }
        Leak();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var session = new InferenceSession(TestModels.Mlp);
        Assert.HasCount(2, session.Run(new Dictionary<string, OnnxTensor> { ["x"] = OnnxTensor.FromArray(new float[4], 1, 4) }));
    }
}
