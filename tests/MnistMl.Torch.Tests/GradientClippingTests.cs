using MnistMl.Torch;
using MnistMl.Torch.Optim;
using static MnistMl.Torch.Tests.Optim.OptimizerProblem;

namespace MnistMl.Torch.Tests.Optim;

/// <summary>
/// GradientClipping against torch.nn.utils.clip_grad_value_ / clip_grad_norm_ and Keras' per-tensor clipnorm,
/// and the optimizer's ClipValue / GlobalClipNorm / ClipNorm options, on the problem of tests/reference/optimizers.py.
/// </summary>
[TestClass]
public sealed class GradientClippingTests
{
    // Computed by tests/reference/optimizers.py with Debian's python3-torch 1.13 (/usr/bin/python3 tests/reference/optimizers.py).
    // W [3,4] and b [3] after 3 steps of SGD lr 0.1 with the gradients clipped before each step.
    private static readonly double[] ClipValueSgdW = [0.23725034296512604, 0.3808184266090393, 0.47273319959640503, 0.5006526708602905, 0.45294541120529175, 0.3584405481815338, 0.21564596891403198, 0.04078488424420357, -0.1415271908044815, -0.3026540279388428, -0.42078790068626404, -0.47993990778923035];
    private static readonly double[] ClipValueSgdB = [0.09428232163190842, 0.061484213918447495, 0.0019967148546129465];
    private static readonly double[] GlobalClipNormSgdW = [0.23917973041534424, 0.381875216960907, 0.47286173701286316, 0.4998461604118347, 0.4575129747390747, 0.3563726544380188, 0.20705156028270721, 0.02990911900997162, -0.14616520702838898, -0.30490410327911377, -0.42132148146629333, -0.47951897978782654];
    private static readonly double[] GlobalClipNormSgdB = [0.09875211864709854, 0.06823248416185379, 0.007614727132022381];
    private static readonly double[] ClipNormSgdW = [0.23912781476974487, 0.3818460702896118, 0.47285690903663635, 0.49986594915390015, 0.4573856592178345, 0.356416791677475, 0.20726479589939117, 0.03028021939098835, -0.14510665833950043, -0.3036072850227356, -0.4198547303676605, -0.47795942425727844];
    private static readonly double[] ClipNormSgdB = [0.09703683108091354, 0.056951962411403656, -0.005576160736382008];

    // Gradient clipping functions on the gradients of the first step.
    private const double ClipGradNorm2Total = 0.4570547044277191;
    private static readonly double[] ClipGradNorm2W = [0.00180721003562212, 0.0009787131566554308, 9.867041080724448e-05, -0.0007865691441111267, 0.004024614579975605, -0.0022460944019258022, -0.008398507721722126, -0.014108595438301563, -0.03424791619181633, -0.04227350279688835, -0.04807266965508461, -0.05133998021483421];
    private static readonly double[] ClipGradNorm2B = [0.00424027256667614, 0.028147287666797638, 0.0314209945499897];
    private const double ClipGradNorm1Total = 1.2440671920776367;
    private static readonly double[] ClipGradNorm1W = [0.0006639472558163106, 0.0003595674643293023, 3.625032331910916e-05, -0.0002889760653488338, 0.001478595077060163, -0.0008251880644820631, -0.003085511038079858, -0.0051833284087479115, -0.012582273222506046, -0.015530777163803577, -0.01766132190823555, -0.018861692398786545];
    private static readonly double[] ClipGradNorm1B = [0.0015578251332044601, 0.010340975597500801, 0.01154369581490755];
    private const double ClipGradNormInfTotal = 0.2346523106098175;
    private static readonly double[] ClipGradNormInfW = [0.0035200684797018766, 0.0019063291838392615, 0.00019218938541598618, -0.001532072783447802, 0.007839109748601913, -0.004374923650175333, -0.016358543187379837, -0.027480602264404297, -0.0667078047990799, -0.08233997225761414, -0.09363554418087006, -0.0999995768070221];
    private static readonly double[] ClipGradNormInfB = [0.008259166963398457, 0.05482504889369011, 0.0612015463411808];
    private static readonly double[] UnclippedW = [0.00825995672494173, 0.004473264329135418, 0.0004509787540882826, -0.003595059271901846, 0.018394730985164642, -0.010265902616083622, -0.03838586062192917, -0.064484141767025, -0.15653206408023834, -0.19321346282958984, -0.21971888840198517, -0.2346523106098175];
    private static readonly double[] UnclippedB = [0.01938040740787983, 0.1286487877368927, 0.14361144602298737];
    private static readonly double[] ClipGradValueW = [0.00825995672494173, 0.004473264329135418, 0.0004509787540882826, -0.003595059271901846, 0.018394730985164642, -0.010265902616083622, -0.03838586062192917, -0.05000000074505806, -0.05000000074505806, -0.05000000074505806, -0.05000000074505806, -0.05000000074505806];
    private static readonly double[] ClipGradValueB = [0.01938040740787983, 0.05000000074505806, 0.05000000074505806];
    private static readonly double[] ClipPerTensorW = [0.0019954342860728502, 0.0010806479258462787, 0.00010894711886066943, -0.0008684918284416199, 0.0044437856413424015, -0.002480029361322522, -0.009273228235542774, -0.015578032471239567, -0.0378149040043354, -0.04667636752128601, -0.05307953059673309, -0.0566871352493763];
    private static readonly double[] ClipPerTensorB = [0.0100012868642807, 0.06638938933610916, 0.07411088794469833];

    private static void WithFirstGradients(Action<Tensor, Tensor> action)
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        {
            Backward(w, b);
            action(w, b);
        }
    }

    private static void AssertGradients(Tensor w, Tensor b, double[] expectedW, double[] expectedB, string what)
    {
        using var gw = w.Grad!;
        using var gb = b.Grad!;
        Approx.Equal(expectedW, gw, rtol: 1e-5, atol: 1e-9, what: $"{what} grad W");
        Approx.Equal(expectedB, gb, rtol: 1e-5, atol: 1e-9, what: $"{what} grad b");
    }

    [TestMethod]
    [DataRow(2.0, "Norm2")]
    [DataRow(1.0, "Norm1")]
    [DataRow(double.PositiveInfinity, "NormInf")]
    public void ClipGradNormMatchesPyTorch(double normType, string name)
    {
        var (total, expectedW, expectedB) = name switch
        {
            "Norm2" => (ClipGradNorm2Total, ClipGradNorm2W, ClipGradNorm2B),
            "Norm1" => (ClipGradNorm1Total, ClipGradNorm1W, ClipGradNorm1B),
            _ => (ClipGradNormInfTotal, ClipGradNormInfW, ClipGradNormInfB),
        };
        WithFirstGradients((w, b) =>
        {
            double returned = GradientClipping.ClipGradNorm([w, b], 0.1, normType);
            Assert.AreEqual(total, returned, 1e-6 * total, "total norm before clipping");
            AssertGradients(w, b, expectedW, expectedB, name);
        });
    }

    [TestMethod]
    public void ClipGradNormBelowTheLimitLeavesGradients()
    {
        WithFirstGradients((w, b) =>
        {
            double returned = GradientClipping.ClipGradNorm([w, b], 10.0);
            Assert.AreEqual(ClipGradNorm2Total, returned, 1e-6);
            AssertGradients(w, b, UnclippedW, UnclippedB, "unclipped");
        });
    }

    [TestMethod]
    public void ClipGradNormSkipsMissingGradientsAndReturnsZeroWithoutAny()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        {
            Assert.AreEqual(0.0, GradientClipping.ClipGradNorm([w, b], 0.1));
            Backward(w, b);
            b.Grad = null;
            double total = GradientClipping.ClipGradNorm([w, b], 0.1);
            double expected = Math.Sqrt(UnclippedW.Sum(v => v * v));
            Assert.AreEqual(expected, total, 1e-6);
            Assert.IsNull(b.Grad);
        }
    }

    [TestMethod]
    public void ClipGradValueMatchesPyTorch() =>
        WithFirstGradients((w, b) =>
        {
            GradientClipping.ClipGradValue([w, b], 0.05);
            AssertGradients(w, b, ClipGradValueW, ClipGradValueB, "clip_grad_value_");
        });

    [TestMethod]
    public void ClipGradNormPerTensorScalesEachGradientOnItsOwn() =>
        WithFirstGradients((w, b) =>
        {
            GradientClipping.ClipGradNormPerTensor([w, b], 0.1);
            AssertGradients(w, b, ClipPerTensorW, ClipPerTensorB, "clipnorm");
            using var gw = w.Grad!;
            using var gb = b.Grad!;
            using var nw = gw.Norm();
            using var nb = gb.Norm();
            Assert.AreEqual(0.1, nw.Item(), 1e-6);
            Assert.AreEqual(0.1, nb.Item(), 1e-6);
        });

    [TestMethod]
    public void OptimizerClipValue() =>
        AssertRun(Run(p => new SGD(p, 0.1) { ClipValue = 0.05 }), ClipValueSgdW, ClipValueSgdB, "SGD clipvalue");

    [TestMethod]
    public void OptimizerGlobalClipNorm() =>
        AssertRun(Run(p => new SGD(p, 0.1) { GlobalClipNorm = 0.1 }), GlobalClipNormSgdW, GlobalClipNormSgdB, "SGD global_clipnorm");

    [TestMethod]
    public void OptimizerClipNorm() =>
        AssertRun(Run(p => new SGD(p, 0.1) { ClipNorm = 0.1 }), ClipNormSgdW, ClipNormSgdB, "SGD clipnorm");

    [TestMethod]
    public void ClipOptionsAreValidated()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        using (var sgd = new SGD([w, b], 0.1))
        {
            Assert.AreEqual("ClipValue", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sgd.ClipValue = 0).ParamName);
            Assert.AreEqual("ClipNorm", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sgd.ClipNorm = -1).ParamName);
            Assert.AreEqual("GlobalClipNorm", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => sgd.GlobalClipNorm = double.NaN).ParamName);
            sgd.ClipNorm = 1;
            Assert.ThrowsExactly<InvalidOperationException>(() => sgd.GlobalClipNorm = 1);
            sgd.ClipNorm = null;
            sgd.GlobalClipNorm = 1;
            Assert.AreEqual(1.0, sgd.GlobalClipNorm);
            Assert.AreEqual("maxNorm", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([w, b], 0)).ParamName);
            Assert.AreEqual("normType", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([w, b], 1, -2)).ParamName);
        }
    }
}
