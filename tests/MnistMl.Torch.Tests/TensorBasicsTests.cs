using MnistMl.Torch;

namespace MnistMl.Torch.Tests;

[TestClass]
public sealed class TensorBasicsTests
{
    [TestMethod]
    public void FromArrayRoundTripsEveryDtype()
    {
        using var f = torch.FromArray(new[] { 1.5f, -2f, 3f, 4f, 5f, 6f }, 2, 3);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, f.Shape);
        Assert.AreEqual(ScalarType.Float32, f.Dtype);
        CollectionAssert.AreEqual(new[] { 1.5f, -2f, 3f, 4f, 5f, 6f }, f.ToArray<float>());

        using var d = torch.FromArray(new[] { 0.1, 0.2 });
        CollectionAssert.AreEqual(new[] { 0.1, 0.2 }, d.ToArray<double>());
        using var l = torch.FromArray(new[] { 7L, -8L });
        CollectionAssert.AreEqual(new[] { 7L, -8L }, l.ToArray<long>());
        using var b = torch.FromArray(new byte[] { 0, 255 });
        CollectionAssert.AreEqual(new byte[] { 0, 255 }, b.ToArray<byte>());
        using var z = torch.FromArray(new[] { true, false });
        CollectionAssert.AreEqual(new[] { true, false }, z.ToArray<bool>());
    }

    [TestMethod]
    public void AsReadOnlySpanReadsWithoutCopy()
    {
        using var t = torch.Arange(0, 6, 1, ScalarType.Float32);
        var span = t.AsReadOnlySpan<float>();
        Assert.AreEqual(5f, span[5]);
        t.Mul_(2);
        Assert.AreEqual(10f, t.AsReadOnlySpan<float>()[5]);
    }

    [TestMethod]
    public void BatchIndexingAndSlicing()
    {
        using var t = torch.Arange(0, 12, 1, ScalarType.Float32).Reshape(4, 3);
        using var row = t[2];
        CollectionAssert.AreEqual(new[] { 6f, 7f, 8f }, row.ToArray<float>());
        using var rows = t[1..3];
        CollectionAssert.AreEqual(new long[] { 2, 3 }, rows.Shape);
        CollectionAssert.AreEqual(new[] { 3f, 4f, 5f, 6f, 7f, 8f }, rows.ToArray<float>());
        using var index = torch.FromArray(new[] { 3L, 0L });
        using var picked = t.IndexSelect(0, index);
        CollectionAssert.AreEqual(new[] { 9f, 10f, 11f, 0f, 1f, 2f }, picked.ToArray<float>());
        using var item = t[3].Select(0, 1);
        Assert.AreEqual(10.0, item.Item());
    }

    [TestMethod]
    public void BroadcastingArithmeticAndComparison()
    {
        using var a = torch.FromArray(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3);
        using var b = torch.FromArray(new[] { 10f, 20f, 30f }, 3);
        using var sum = a + b;
        CollectionAssert.AreEqual(new[] { 11f, 22f, 33f, 14f, 25f, 36f }, sum.ToArray<float>());
        using var scaled = 2.0 - a / 2.0;
        CollectionAssert.AreEqual(new[] { 1.5f, 1f, 0.5f, 0f, -0.5f, -1f }, scaled.ToArray<float>());
        using var greater = a.Gt(3);
        CollectionAssert.AreEqual(new[] { false, false, false, true, true, true }, greater.ToArray<bool>());
        using var argmax = a.Argmax(1);
        CollectionAssert.AreEqual(new[] { 2L, 2L }, argmax.ToArray<long>());
    }

    [TestMethod]
    public void ShapeOperations()
    {
        using var t = torch.Arange(0, 24, 1, ScalarType.Float32).Reshape(2, 3, 4);
        using var p = t.Permute(2, 0, 1);
        CollectionAssert.AreEqual(new long[] { 4, 2, 3 }, p.Shape);
        using var f = t.Flatten(1);
        CollectionAssert.AreEqual(new long[] { 2, 12 }, f.Shape);
        using var c = torch.Cat([t, t], 1);
        CollectionAssert.AreEqual(new long[] { 2, 6, 4 }, c.Shape);
        using var s = torch.Stack([t, t, t], 0);
        CollectionAssert.AreEqual(new long[] { 3, 2, 3, 4 }, s.Shape);
        using var u = t.Unsqueeze(0).Squeeze(0);
        CollectionAssert.AreEqual(new long[] { 2, 3, 4 }, u.Shape);
    }

    [TestMethod]
    public void WrongShapesIntoLinearThrowWithLibtorchMessage()
    {
        using var x = torch.Zeros(2, 5);
        using var w = torch.Zeros(3, 4);
        var e = Assert.ThrowsExactly<TorchException>(() => NN.Functional.Linear(x, w));
        StringAssert.Contains(e.Message, "Linear");
        StringAssert.Contains(e.Message, "cannot be multiplied");
    }

    [TestMethod]
    public void WrongShapesIntoConvThrowWithLibtorchMessage()
    {
        using var x = torch.Zeros(1, 2, 8, 8);
        using var w = torch.Zeros(4, 3, 3, 3);
        var e = Assert.ThrowsExactly<TorchException>(() => NN.Functional.Conv2d(x, w));
        StringAssert.Contains(e.Message, "expected input[1, 2, 8, 8] to have 3 channels");
    }

    [TestMethod]
    public void DtypeMismatchThrows()
    {
        using var x = torch.Zeros([2, 4], ScalarType.Float64);
        using var w = torch.Zeros(3, 4);
        var e = Assert.ThrowsExactly<TorchException>(() => NN.Functional.Linear(x, w));
        StringAssert.Contains(e.Message, "expected scalar type Double but found Float");
        using var f = torch.Zeros(3);
        Assert.ThrowsExactly<InvalidOperationException>(() => f.ToArray<long>());
    }

    [TestMethod]
    public void UseOfDisposedTensorThrowsObjectDisposed()
    {
        var t = torch.Zeros(3);
        t.Dispose();
        Assert.IsTrue(t.IsDisposed);
        Assert.ThrowsExactly<ObjectDisposedException>(() => t.Sum());
        Assert.ThrowsExactly<ObjectDisposedException>(() => _ = t.Shape);
        t.Dispose(); // a second dispose is harmless
    }

    [TestMethod]
    public void DisposeScopeFreesIntermediatesAndKeepsMovedResults()
    {
        Tensor kept, intermediate;
        using (var scope = torch.NewDisposeScope())
        {
            using var a = torch.Ones(4);
            intermediate = a * 3;
            kept = (intermediate + 1).MoveToOuterDisposeScope();
        }
        Assert.IsTrue(intermediate.IsDisposed);
        Assert.IsFalse(kept.IsDisposed);
        CollectionAssert.AreEqual(new[] { 4f, 4f, 4f, 4f }, kept.ToArray<float>());
        kept.Dispose();
    }

    [TestMethod]
    public void ManualSeedRepeatsRandomDraws()
    {
        torch.ManualSeed(7);
        using var a = torch.Randn([5]);
        using var p1 = torch.RandPerm(10);
        torch.ManualSeed(7);
        using var b = torch.Randn([5]);
        using var p2 = torch.RandPerm(10);
        CollectionAssert.AreEqual(a.ToArray<float>(), b.ToArray<float>());
        CollectionAssert.AreEqual(p1.ToArray<long>(), p2.ToArray<long>());
    }

    [TestMethod]
    public void NoGradScopeStopsRecording()
    {
        using var w = torch.Ones(3).RequiresGrad_();
        using (torch.NoGrad())
        {
            using var y = w * 2;
            Assert.IsFalse(y.RequiresGrad);
            Assert.IsFalse(torch.IsGradEnabled);
        }
        Assert.IsTrue(torch.IsGradEnabled);
        using var z = (w * w).Sum();
        Assert.IsTrue(z.RequiresGrad);
        z.Backward();
        using var g = w.Grad!;
        CollectionAssert.AreEqual(new[] { 2f, 2f, 2f }, g.ToArray<float>());
        w.Grad = null;
        Assert.IsNull(w.Grad);
    }

    [TestMethod]
    public void ThreadCountIsSettableAndValidated()
    {
        int previous = torch.NumThreads;
        try
        {
            torch.NumThreads = 2;
            Assert.AreEqual(2, torch.NumThreads);
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => torch.NumThreads = 0);
            Assert.AreEqual("NumThreads", e.ParamName);
        }
        finally
        {
            torch.NumThreads = previous;
        }
    }
}
