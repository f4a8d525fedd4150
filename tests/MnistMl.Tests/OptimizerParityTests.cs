using MnistMl.Trainers;
using MnistMl.Trainers.Keras;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace MnistMl.Tests;

/// <summary>
/// The optimizers of <see cref="OptimizerSpec.Create"/> (TorchSharp's torch.optim with Keras' defaults, wrapped in
/// <see cref="KerasOptimizer"/> for clipping, decay and learning-rate changes) against PyTorch 1.13's single-tensor
/// algorithms on the fixed problem of tests/reference/optimizers.py: W [3,4], b [3], X [5,4], Y [5,3] from sin/cos
/// formulas and the loss ((tanh(X @ W.T + b) - Y)^2).mean(), 3 steps unless the case says otherwise.
/// </summary>
[TestClass]
public sealed class OptimizerParityTests
{
    /// <summary>
    /// Tolerances on the displacement W_final − W_initial (not on W itself, so that the small moves of the Keras default
    /// learning rates are checked too): relative to PyTorch's displacement, plus a few float32 ulps of |W| ≤ 0.5 for the
    /// parameter's own rounding at every step.
    /// </summary>
    private const double Rtol = 1e-5;
    private const double Atol = 2e-7;

    private static float[] Filled(int count, Func<int, double> f) => Enumerable.Range(0, count).Select(i => (float)f(i)).ToArray();

    private static readonly float[] InitialW = Filled(12, i => 0.5 * Math.Sin(0.37 * i + 0.5));
    private static readonly float[] InitialB = Filled(3, i => 0.1 * Math.Cos(0.7 * i));

    private static (Parameter W, Parameter B) NewParameters() =>
        (new Parameter(torch.tensor(InitialW, [3, 4])), new Parameter(torch.tensor(InitialB, [3])));

    /// <summary>Computes the loss and accumulates its gradients into W and b.</summary>
    private static void Backward(Tensor w, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(Filled(20, i => Math.Sin(0.23 * i + 1.1)), [5, 4]);
        var y = torch.tensor(Filled(15, i => Math.Cos(0.31 * i)), [5, 3]);
        var loss = (torch.tanh(x.matmul(w.t()) + b) - y).pow(2).mean();
        loss.backward();
    }

    private static double[] Values(Tensor t)
    {
        using var d = t.detach().to_type(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }

    /// <summary>
    /// Runs <paramref name="steps"/> steps (ZeroGrad, backward, Step) of the spec's optimizer on fresh parameters;
    /// <paramref name="beforeStep"/> gets the optimizer and the step index t before each step.
    /// </summary>
    private static (double[] W, double[] B) Run(OptimizerSpec spec, int steps = 3, Action<KerasOptimizer, int>? beforeStep = null)
    {
        var (w, b) = NewParameters();
        using (w)
        using (b)
        using (var optimizer = spec.Create([w, b]))
        {
            for (int t = 0; t < steps; t++)
            {
                beforeStep?.Invoke(optimizer, t);
                optimizer.ZeroGrad();
                Backward(w, b);
                optimizer.Step();
            }
            Assert.AreEqual((long)steps, optimizer.StepCount, "StepCount");
            return (Values(w), Values(b));
        }
    }

    private static double[] Expected(string name) =>
        TorchReference.ByName.TryGetValue(name, out var values)
            ? values
            : throw new InvalidOperationException($"TorchReference has no '{name}'; add the case to tests/reference/optimizers.py and regenerate.");

    /// <summary>The largest |actual − expected| displacement error, in units of the tolerance (≤ 1 passes).</summary>
    private static double Error(double[] expected, double[] actual, float[] initial)
    {
        Assert.AreEqual(expected.Length, actual.Length, "element count");
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i] - initial[i], a = actual[i] - initial[i];
            worst = Math.Max(worst, Math.Abs(a - e) / (Rtol * Math.Abs(e) + Atol));
        }
        return worst;
    }

    private static void AssertElements(double[] expected, double[] actual, float[] initial, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i] - initial[i], a = actual[i] - initial[i], tolerance = Rtol * Math.Abs(e) + Atol;
            if (!(Math.Abs(a - e) <= tolerance))
                Assert.Fail($"{what}: element {i} moved by {a:R}, PyTorch 1.13 by {e:R} (ends at {actual[i]:R} vs {expected[i]:R}; tolerance {tolerance:G3}).");
        }
    }

    /// <summary>Asserts the W and b of a run equal PyTorch's Optim_Case_W / Optim_Case_B.</summary>
    private static void AssertMatches(string referenceCase, (double[] W, double[] B) actual)
    {
        var expectedW = Expected($"Optim_{referenceCase}_W");
        var expectedB = Expected($"Optim_{referenceCase}_B");
        Assert.AreEqual(expectedW.Length, actual.W.Length, $"{referenceCase}: W element count");
        Assert.AreEqual(expectedB.Length, actual.B.Length, $"{referenceCase}: b element count");
        AssertElements(expectedW, actual.W, InitialW, $"{referenceCase} W");
        AssertElements(expectedB, actual.B, InitialB, $"{referenceCase} b");
    }

    /// <summary>Asserts a run is far (over 100 tolerances) from a reference case: that case can tell the two apart.</summary>
    private static void AssertFarFrom(string referenceCase, (double[] W, double[] B) actual, string why)
    {
        double error = Math.Max(Error(Expected($"Optim_{referenceCase}_W"), actual.W, InitialW), Error(Expected($"Optim_{referenceCase}_B"), actual.B, InitialB));
        Assert.IsGreaterThan(100.0, error, $"{referenceCase}: {why}");
    }

    // ---- Keras defaults and options, 3 steps ----

    public static IEnumerable<object[]> Cases =>
    [
        ["AdamDefaults", new OptimizerSpec("adam")],
        ["AdamAmsgrad", new OptimizerSpec("adam", 0.01) { Amsgrad = true }],
        ["AdamWDefaults", new OptimizerSpec("adamw")],
        ["AdamWWeightDecayAmsgrad", new OptimizerSpec("adamw", 0.01) { WeightDecay = 0.1, Amsgrad = true }],
        ["NAdamDefaults", new OptimizerSpec("nadam")],
        ["NAdamBetas", new OptimizerSpec("nadam", 0.01) { Beta1 = 0.8, Beta2 = 0.99 }],
        ["SgdDefaults", new OptimizerSpec("sgd")],
        ["SgdMomentum", new OptimizerSpec("sgd", 0.1) { Momentum = 0.9 }],
        ["SgdNesterov", new OptimizerSpec("sgd", 0.1) { Momentum = 0.9, Nesterov = true }],
        ["SgdDecay", new OptimizerSpec("sgd", 0.1) { Decay = 0.5 }],
        ["SgdMomentumDecay", new OptimizerSpec("sgd", 0.1) { Momentum = 0.9, Decay = 0.5 }],
        ["RMSpropDefaults", new OptimizerSpec("rmsprop")],
        ["RMSpropMomentum", new OptimizerSpec("rmsprop", 0.01) { Momentum = 0.5 }],
        ["RMSpropCenteredMomentum", new OptimizerSpec("rmsprop", 0.01) { Centered = true, Momentum = 0.9 }],
        ["AdagradDefaults", new OptimizerSpec("adagrad")],
        ["AdagradFast", new OptimizerSpec("adagrad", 0.1)],
        ["AdadeltaDefaults", new OptimizerSpec("adadelta")],
        ["AdadeltaRate1", new OptimizerSpec("adadelta", 1.0)],
        ["SgdClipNorm", new OptimizerSpec("sgd", 0.1) { ClipNorm = 0.1 }],
        ["SgdGlobalClipNorm", new OptimizerSpec("sgd", 0.1) { GlobalClipNorm = 0.1 }],
        ["SgdClipValue", new OptimizerSpec("sgd", 0.1) { ClipValue = 0.05 }],
        ["SgdClipNormThenValue", new OptimizerSpec("sgd", 0.1) { ClipNorm = 0.1, ClipValue = 0.03 }],
        ["AdamClipValue", new OptimizerSpec("adam", 0.01) { ClipValue = 0.05 }],
    ];

    public static string CaseName(System.Reflection.MethodInfo method, object?[] data) => $"{method.Name}({data[0]})";

    [TestMethod]
    [DynamicData(nameof(Cases), DynamicDataDisplayName = nameof(CaseName))]
    public void TrajectoryMatchesPyTorch(string referenceCase, OptimizerSpec spec) => AssertMatches(referenceCase, Run(spec));

    /// <summary>Every optimizer name has at least one trajectory case.</summary>
    [TestMethod]
    public void EveryOptimizerNameHasATrajectoryCase()
    {
        var covered = Cases.Select(c => ((OptimizerSpec)c[1]).Name).ToHashSet();
        foreach (var name in OptimizerSpec.Names) Assert.Contains(name, covered, $"no trajectory case for '{name}'");
    }

    /// <summary>
    /// The Keras defaults reach TorchSharp's optimizer as hyper-parameters (epsilon 1e-7 barely moves a trajectory, so the
    /// cases above cannot show it): what <see cref="OptimizerSpec"/> documents, read back from torch.optim's options.
    /// </summary>
    [TestMethod]
    public void KerasDefaultsReachTorchSharp()
    {
        T Options<T>(string name) where T : class
        {
            var (w, b) = NewParameters();
            using (w) using (b)
            using (var optimizer = new OptimizerSpec(name).Create([w, b]))
            {
                var group = optimizer.Optimizer.ParamGroups.Single();
                Assert.AreEqual(name == "sgd" ? 0.01 : 0.001, group.LearningRate, $"{name}: learning rate");
                var options = (group as TorchSharp.Modules.ParamGroup)?.Options;
                return options as T ?? throw new AssertFailedException($"{name}: options are {options?.GetType()}, not {typeof(T)}");
            }
        }

        var adam = Options<TorchSharp.Modules.Adam.Options>("adam");
        Assert.AreEqual((0.9, 0.999, 1e-7, 0.0, false), (adam.beta1, adam.beta2, adam.eps, adam.weight_decay, adam.amsgrad));
        var adamW = Options<TorchSharp.Modules.AdamW.Options>("adamw");
        Assert.AreEqual((0.9, 0.999, 1e-7, 0.004), (adamW.beta1, adamW.beta2, adamW.eps, adamW.weight_decay));
        var nadam = Options<TorchSharp.Modules.NAdam.Options>("nadam");
        Assert.AreEqual((0.9, 0.999, 1e-7, 0.004), (nadam.beta1, nadam.beta2, nadam.eps, nadam.momentum_decay));
        var sgd = Options<TorchSharp.Modules.SGD.Options>("sgd");
        Assert.AreEqual((0.0, 0.0, 0.0, false), (sgd.momentum, sgd.dampening, sgd.weight_decay, sgd.nesterov));
        var rmsprop = Options<TorchSharp.Modules.RMSProp.Options>("rmsprop");
        Assert.AreEqual((0.9, 1e-7, 0.0, false), (rmsprop.alpha, rmsprop.eps, rmsprop.momentum, rmsprop.centered));
        var adagrad = Options<TorchSharp.Modules.Adagrad.Options>("adagrad");
        Assert.AreEqual((0.1, 1e-7, 0.0), (adagrad.initial_accumulator_value, adagrad.eps, adagrad.lr_decay));
        var adadelta = Options<TorchSharp.Modules.Adadelta.Options>("adadelta");
        Assert.AreEqual((0.95, 1e-7), (adadelta.rho, adadelta.eps));
    }

    // ---- learning-rate changes between steps (KerasOptimizer.LearningRate), 2 steps ----

    [TestMethod]
    public void AdamLearningRateSetBetweenStepsChangesTheStep()
    {
        var spec = new OptimizerSpec("adam", 0.01);
        var changed = Run(spec, steps: 2, beforeStep: (optimizer, t) =>
        {
            if (t != 1) return;
            optimizer.LearningRate = 0.002;
            Assert.AreEqual(0.002, optimizer.LearningRate);
            Assert.AreEqual(0.002, optimizer.Optimizer.ParamGroups.Single().LearningRate, "TorchSharp's param group got the new rate");
        });
        AssertMatches("AdamLearningRateChanged", changed);
        AssertFarFrom("AdamLearningRateChanged", Run(spec, steps: 2), "two steps at 0.01 must not pass for the changed rate");
    }

    [TestMethod]
    public void SgdMomentumLearningRateSetBetweenStepsChangesTheStep()
    {
        var spec = new OptimizerSpec("sgd", 0.1) { Momentum = 0.9 };
        var changed = Run(spec, steps: 2, beforeStep: (optimizer, t) => { if (t == 1) optimizer.LearningRate = 0.02; });
        AssertMatches("SgdMomentumLearningRateChanged", changed);
        AssertFarFrom("SgdMomentumLearningRateChanged", Run(spec, steps: 2), "two steps at 0.1 must not pass for the changed rate");
    }

    /// <summary>With decay 0.5, step 0 uses 0.1 / (1 + 0); the base rate then set to 0.05, step 1 uses 0.05 / (1 + 0.5).</summary>
    [TestMethod]
    public void SgdDecayAppliesToTheRateSetBetweenSteps()
    {
        var spec = new OptimizerSpec("sgd", 0.1) { Decay = 0.5 };
        var changed = Run(spec, steps: 2, beforeStep: (optimizer, t) =>
        {
            if (t != 1) return;
            Assert.AreEqual(1L, optimizer.StepCount);
            optimizer.LearningRate = 0.05;
            Assert.AreEqual(0.05, optimizer.LearningRate, "LearningRate is the base rate, before decay");
            Assert.AreEqual(0.05 / 1.5, optimizer.Optimizer.ParamGroups.Single().LearningRate, 1e-15, "TorchSharp's rate is the decayed one");
        });
        AssertMatches("SgdDecayLearningRateChanged", changed);
        AssertFarFrom("SgdDecayLearningRateChanged", Run(new OptimizerSpec("sgd", 0.1), steps: 2, beforeStep: (o, t) => { if (t == 1) o.LearningRate = 0.05; }),
            "the decay must apply to the new rate");
    }

    /// <summary>The decay cases tell decay from no decay: 3 steps of plain SGD at 0.1 are far from the decayed trajectories.</summary>
    [TestMethod]
    public void DecayCasesDependOnTheDecay()
    {
        AssertFarFrom("SgdDecay", Run(new OptimizerSpec("sgd", 0.1)), "undecayed SGD must not pass for decayed SGD");
        AssertFarFrom("SgdMomentumDecay", Run(new OptimizerSpec("sgd", 0.1) { Momentum = 0.9 }), "undecayed SGD must not pass for decayed SGD");
    }
}
