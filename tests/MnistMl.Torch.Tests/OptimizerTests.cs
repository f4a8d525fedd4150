using MnistMl.Torch;
using MnistMl.Torch.Optim;
using static MnistMl.Torch.Tests.Optim.OptimizerProblem;

namespace MnistMl.Torch.Tests.Optim;

/// <summary>
/// The optimizers against PyTorch 1.13's single-tensor algorithms on the fixed problem of
/// tests/reference/optimizers.py (3 steps each), plus state persistence and argument checks.
/// </summary>
[TestClass]
public sealed class OptimizerTests
{
    // Computed by tests/reference/optimizers.py with Debian's python3-torch 1.13 (/usr/bin/python3 tests/reference/optimizers.py).
    // W [3,4] and b [3] after 3 steps.
    private static readonly double[] SgdPlainW = [0.23725034296512604, 0.3808184266090393, 0.47273319959640503, 0.5006526708602905, 0.45285937190055847, 0.35825979709625244, 0.2153800129890442, 0.04424026980996132, -0.10392756760120392, -0.2536459267139435, -0.363742470741272, -0.4186515510082245];
    private static readonly double[] SgdPlainB = [0.09428232163190842, 0.039191924035549164, -0.028403284028172493];
    private static readonly double[] SgdMomentumW = [0.23510390520095825, 0.37964844703674316, 0.47260135412216187, 0.5015658140182495, 0.4478631913661957, 0.3606123924255371, 0.22495754063129425, 0.06053828448057175, -0.059719931334257126, -0.19962167739868164, -0.30274686217308044, -0.3538970947265625];
    private static readonly double[] SgdMomentumB = [0.08928225934505463, 0.0063997614197432995, -0.06725922971963882];
    private static readonly double[] SgdNesterovWeightDecayW = [0.2312585860490799, 0.3755300045013428, 0.4686805009841919, 0.49836334586143494, 0.4389630854129791, 0.35885339975357056, 0.23066863417625427, 0.07355458289384842, -0.0018954802071675658, -0.1302277147769928, -0.22564920783042908, -0.2734457552433014];
    private static readonly double[] SgdNesterovWeightDecayB = [0.0840078741312027, -0.02161235734820366, -0.10946398228406906];
    private static readonly double[] SgdMomentumDampeningW = [0.23642700910568237, 0.3803703784942627, 0.4726840555667877, 0.5010049343109131, 0.45096322894096375, 0.35919180512428284, 0.21909107267856598, 0.0505349263548851, -0.08735468238592148, -0.2333383411169052, -0.3407697081565857, -0.39422354102134705];
    private static readonly double[] SgdMomentumDampeningB = [0.09236089885234833, 0.026552896946668625, -0.04314446821808815];
    private static readonly double[] SgdKerasDecayW = [0.23793087899684906, 0.3811931908130646, 0.4727824926376343, 0.5003738403320312, 0.45455867052078247, 0.35767796635627747, 0.21254770457744598, 0.0393066443502903, -0.1198398768901825, -0.2728208899497986, -0.38517022132873535, -0.4412035346031189];
    private static readonly double[] SgdKerasDecayB = [0.09584924578666687, 0.049265921115875244, -0.015260587446391582];
    private static readonly double[] AdamPlainW = [0.20983386039733887, 0.35225605964660645, 0.44287991523742676, 0.5293606519699097, 0.42866969108581543, 0.384765625, 0.23445682227611542, 0.05569522827863693, -0.12648862600326538, -0.28761884570121765, -0.4057554304599762, -0.4649098813533783];
    private static readonly double[] AdamPlainB = [0.07014095038175583, 0.04653003066778183, -0.013027871027588844];
    private static readonly double[] AdamAmsgradWeightDecayW = [0.20979173481464386, 0.3522172272205353, 0.442934513092041, 0.4696550965309143, 0.42873039841651917, 0.32573869824409485, 0.23433122038841248, 0.055722374469041824, -0.1264936774969101, -0.28762486577033997, -0.40576180815696716, -0.4649162292480469];
    private static readonly double[] AdamAmsgradWeightDecayB = [0.07005670666694641, 0.0465254932641983, -0.013022956438362598];
    private static readonly double[] AdamWWeightDecayW = [0.20915335416793823, 0.35115763545036316, 0.44146838784217834, 0.5278739333152771, 0.4273250997066498, 0.3837299644947052, 0.2338191568851471, 0.055590566247701645, -0.1260487288236618, -0.28669607639312744, -0.40447863936424255, -0.46345579624176025];
    private static readonly double[] AdamWWeightDecayB = [0.06986641883850098, 0.046330422163009644, -0.013049119152128696];
    private static readonly double[] AdamWAmsgradW = [0.2097657024860382, 0.35214605927467346, 0.44273629784584045, 0.5292119979858398, 0.4285350441932678, 0.38466206192970276, 0.23439300060272217, 0.055684756487607956, -0.12644459307193756, -0.2875264585018158, -0.40562760829925537, -0.4647642970085144];
    private static readonly double[] AdamWAmsgradB = [0.07011346518993378, 0.04651004821062088, -0.013030000030994415];
    private static readonly double[] NAdamPlainW = [0.2149515151977539, 0.35726508498191833, 0.44613945484161377, 0.5238578915596008, 0.4323117136955261, 0.3778274655342102, 0.22924506664276123, 0.05073557794094086, -0.13046415150165558, -0.2916521430015564, -0.4098301827907562, -0.46901896595954895];
    private static readonly double[] NAdamPlainB = [0.07531154900789261, 0.051267627626657486, -0.008848367258906364];
    private static readonly double[] NAdamWeightDecayW = [0.21470801532268524, 0.3569961488246918, 0.447654664516449, 0.4743560552597046, 0.4332486093044281, 0.3301926255226135, 0.22870898246765137, 0.05089398846030235, -0.13055363297462463, -0.29174670577049255, -0.4099230468273163, -0.4691069722175598];
    private static readonly double[] NAdamWeightDecayB = [0.07485716044902802, 0.05123749002814293, -0.008786643855273724];
    private static readonly double[] RMSpropPlainW = [0.11844317615032196, 0.2532055974006653, 0.37636253237724304, 0.5607466101646423, 0.21788153052330017, 0.3419775366783142, 0.3541960120201111, 0.20308656990528107, 0.10023282468318939, -0.06310665607452393, -0.18298979103565216, -0.2437039464712143];
    private static readonly double[] RMSpropPlainB = [0.02121746726334095, -0.11817751824855804, -0.225279301404953];
    private static readonly double[] RMSpropCenteredMomentumW = [0.08707544952630997, 0.2581135630607605, 0.3733903765678406, 0.7884824872016907, -0.03735332936048508, 0.4166802763938904, 0.5099491477012634, 0.3861629366874695, 0.34763529896736145, 0.1834717094898224, 0.06294909864664078, 0.0016732309013605118];
    private static readonly double[] RMSpropCenteredMomentumB = [-0.08623670786619186, -0.3260565996170044, -0.4478423297405243];
    private static readonly double[] RMSpropWeightDecayMomentumW = [0.1423836499452591, 0.2810228765010834, 0.3702337443828583, 0.39642634987831116, 0.3516199290752411, 0.24822582304477692, 0.2883734703063965, 0.12819746136665344, -0.042749110609292984, -0.20459628105163574, -0.32320719957351685, -0.38272616267204285];
    private static readonly double[] RMSpropWeightDecayMomentumB = [-0.0012790884356945753, -0.027658522129058838, -0.09459904581308365];
    private static readonly double[] AdagradDecayW = [0.2321132868528366, 0.37792906165122986, 0.47224706411361694, 0.502595841884613, 0.4389510452747345, 0.36087220907211304, 0.234141007065773, 0.07709887623786926, -0.009925279766321182, -0.15566247701644897, -0.2652135193347931, -0.3208627998828888];
    private static readonly double[] AdagradDecayB = [0.08278335630893707, -0.02046492137014866, -0.10929396748542786];
    private static readonly double[] AdagradWeightDecayW = [0.17024129629135132, 0.2599917948246002, 0.3269330859184265, 0.3449863791465759, 0.2606309950351715, 0.1882324367761612, 0.3184846341609955, 0.21745556592941284, 0.09615511447191238, -0.06776855140924454, -0.18788394331932068, -0.24863585829734802];
    private static readonly double[] AdagradWeightDecayB = [-0.033940382301807404, -0.1100129634141922, -0.22085213661193848];
    private static readonly double[] AdadeltaPlainW = [0.23075763881206512, 0.3742963969707489, 0.4712255597114563, 0.5065204501152039, 0.44897690415382385, 0.36448031663894653, 0.214114710688591, 0.03536764159798622, -0.146729975938797, -0.307868093252182, -0.42601022124290466, -0.4851691722869873];
    private static readonly double[] AdadeltaPlainB = [0.09059330821037292, 0.06684517115354538, 0.007241955958306789];
    private static readonly double[] AdadeltaWeightDecayW = [0.23014749586582184, 0.37255263328552246, 0.46326354146003723, 0.48998507857322693, 0.44904112815856934, 0.34610745310783386, 0.21391873061656952, 0.035395924001932144, -0.1467471867799759, -0.3078860342502594, -0.42602771520614624, -0.4851856529712677];
    private static readonly double[] AdadeltaWeightDecayB = [0.09042347967624664, 0.06683795154094696, 0.007253667339682579];
    private static readonly double[] AdamLearningRateChangesW = [0.22373390197753906, 0.36617976427078247, 0.45689427852630615, 0.5155683159828186, 0.4427089989185333, 0.371574342250824, 0.22057925164699554, 0.041768092662096024, -0.1405196189880371, -0.3016471862792969, -0.4197815954685211, -0.47893407940864563];
    private static readonly double[] AdamLearningRateChangesB = [0.08402527868747711, 0.0604928694665432, 0.0009919815929606557];

    // ---- against PyTorch ----

    [TestMethod] public void SgdPlain() => AssertRun(Run(p => new SGD(p, 0.1)), SgdPlainW, SgdPlainB, "SGD");
    [TestMethod] public void SgdMomentum() => AssertRun(Run(p => new SGD(p, 0.1, momentum: 0.9)), SgdMomentumW, SgdMomentumB, "SGD momentum");
    [TestMethod] public void SgdNesterovWeightDecay() =>
        AssertRun(Run(p => new SGD(p, 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01)), SgdNesterovWeightDecayW, SgdNesterovWeightDecayB, "SGD nesterov");
    [TestMethod] public void SgdMomentumDampening() =>
        AssertRun(Run(p => new SGD(p, 0.1, momentum: 0.5, dampening: 0.1)), SgdMomentumDampeningW, SgdMomentumDampeningB, "SGD dampening");
    [TestMethod] public void SgdKerasDecay() => AssertRun(Run(p => new SGD(p, 0.1, decay: 0.5)), SgdKerasDecayW, SgdKerasDecayB, "SGD decay");

    [TestMethod] public void AdamPlain() => AssertRun(Run(p => new Adam(p, 0.01)), AdamPlainW, AdamPlainB, "Adam");
    [TestMethod] public void AdamAmsgradWeightDecay() =>
        AssertRun(Run(p => new Adam(p, 0.01, amsgrad: true, weightDecay: 0.1)), AdamAmsgradWeightDecayW, AdamAmsgradWeightDecayB, "Adam amsgrad");
    [TestMethod] public void AdamWWeightDecay() => AssertRun(Run(p => new AdamW(p, 0.01, weightDecay: 0.1)), AdamWWeightDecayW, AdamWWeightDecayB, "AdamW");
    [TestMethod] public void AdamWAmsgrad() => AssertRun(Run(p => new AdamW(p, 0.01, amsgrad: true)), AdamWAmsgradW, AdamWAmsgradB, "AdamW amsgrad");
    [TestMethod] public void NAdamPlain() => AssertRun(Run(p => new NAdam(p, 0.01)), NAdamPlainW, NAdamPlainB, "NAdam");
    [TestMethod] public void NAdamWeightDecay() => AssertRun(Run(p => new NAdam(p, 0.01, weightDecay: 0.1)), NAdamWeightDecayW, NAdamWeightDecayB, "NAdam wd");
    [TestMethod] public void RMSpropPlain() => AssertRun(Run(p => new RMSprop(p, 0.01)), RMSpropPlainW, RMSpropPlainB, "RMSprop");
    [TestMethod] public void RMSpropCenteredMomentum() =>
        AssertRun(Run(p => new RMSprop(p, 0.01, centered: true, momentum: 0.9)), RMSpropCenteredMomentumW, RMSpropCenteredMomentumB, "RMSprop centered");
    [TestMethod] public void RMSpropWeightDecayMomentum() =>
        AssertRun(Run(p => new RMSprop(p, 0.01, rho: 0.9, weightDecay: 0.1, momentum: 0.5)), RMSpropWeightDecayMomentumW, RMSpropWeightDecayMomentumB, "RMSprop wd");
    [TestMethod] public void AdagradDecay() =>
        AssertRun(Run(p => new Adagrad(p, 0.1, learningRateDecay: 0.01, initialAccumulatorValue: 0.1)), AdagradDecayW, AdagradDecayB, "Adagrad");
    [TestMethod] public void AdagradWeightDecay() => AssertRun(Run(p => new Adagrad(p, 0.1, weightDecay: 0.1)), AdagradWeightDecayW, AdagradWeightDecayB, "Adagrad wd");
    [TestMethod] public void AdadeltaPlain() => AssertRun(Run(p => new Adadelta(p, 1.0, rho: 0.9)), AdadeltaPlainW, AdadeltaPlainB, "Adadelta");
    [TestMethod] public void AdadeltaWeightDecay() =>
        AssertRun(Run(p => new Adadelta(p, 1.0, rho: 0.9, weightDecay: 0.1)), AdadeltaWeightDecayW, AdadeltaWeightDecayB, "Adadelta wd");

    [TestMethod]
    public void AdamLearningRateChangesBetweenSteps()
    {
        double[] rates = [0.01, 0.005, 0.001];
        var result = Run(p => new Adam(p, 0.01), (optimizer, t) => optimizer.LearningRate = rates[t]);
        AssertRun(result, AdamLearningRateChangesW, AdamLearningRateChangesB, "Adam lr schedule");
    }

    [TestMethod]
    public void DefaultsAreThoseOfPyTorch()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        {
            using var adam = new Adam([w, b]);
            Assert.AreEqual((1e-3, 0.9, 0.999, 1e-8, 0.0, false), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay, adam.Amsgrad));
            using var adamW = new AdamW([w, b]);
            Assert.AreEqual((1e-3, 1e-2), (adamW.LearningRate, adamW.WeightDecay));
            using var nadam = new NAdam([w, b]);
            Assert.AreEqual((2e-3, 4e-3), (nadam.LearningRate, nadam.MomentumDecay));
            using var rmsprop = new RMSprop([w, b]);
            Assert.AreEqual((1e-2, 0.99, 1e-8), (rmsprop.LearningRate, rmsprop.Rho, rmsprop.Epsilon));
            using var adagrad = new Adagrad([w, b]);
            Assert.AreEqual((1e-2, 1e-10), (adagrad.LearningRate, adagrad.Epsilon));
            using var adadelta = new Adadelta([w, b]);
            Assert.AreEqual((1.0, 0.9, 1e-6), (adadelta.LearningRate, adadelta.Rho, adadelta.Epsilon));
        }
    }

    // ---- Step and ZeroGrad ----

    [TestMethod]
    public void StepSkipsParametersWithoutGradient()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        using (var adam = new Adam([w, b], 0.01))
        {
            var bBefore = Values(b);
            var wBefore = Values(w);
            Backward(w, b);
            b.Grad = null;
            adam.Step();
            CollectionAssert.AreEqual(bBefore, Values(b), "b has no gradient and must not move");
            CollectionAssert.AreNotEqual(wBefore, Values(w), "W has a gradient and must move");
            using var scope = torch.NewDisposeScope();
            var state = adam.StateDict();
            Assert.IsTrue(state.ContainsKey("state.0.exp_avg"));
            Assert.IsFalse(state.Keys.Any(k => k.StartsWith("state.1.", StringComparison.Ordinal)), "no state for a parameter never updated");
            Assert.AreEqual(1L, adam.StepCount);
        }
    }

    [TestMethod]
    public void StepLeavesNoTensorInTheEnclosingScope()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        using (var adam = new Adam([w, b], 0.01, amsgrad: true))
        {
            Backward(w, b);
            using var scope = torch.NewDisposeScope();
            adam.Step();
            adam.Step();
            Assert.AreEqual(0, scope.Count);
        }
    }

    [TestMethod]
    public void ZeroGradClearsOrZeroesGradients()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        using (var sgd = new SGD([w, b], 0.1))
        {
            Backward(w, b);
            sgd.ZeroGrad(setToNone: false);
            using (var grad = w.Grad)
            {
                Assert.IsNotNull(grad);
                CollectionAssert.AreEqual(new float[12], grad.ToArray<float>());
            }
            sgd.ZeroGrad();
            Assert.IsNull(w.Grad);
            Assert.IsNull(b.Grad);
        }
    }

    // ---- state persistence ----

    private static void AssertResumeEqualsContinuous(Func<IEnumerable<Tensor>, Optimizer> make, double[] expectedW, double[] expectedB, string what)
    {
        var continuous = Run(make);
        AssertRun(continuous, expectedW, expectedB, what);

        var path = Path.Combine(Path.GetTempPath(), $"mnistml-optim-{Guid.NewGuid():N}.bin");
        try
        {
            var (w, b) = NewParameters();
            using (w) using (b)
            {
                using (var first = make([w, b]))
                {
                    TrainStep(first, w, b);
                    TrainStep(first, w, b);
                    first.Save(path);
                }
                var afterTwo = (Values(w), Values(b));

                using (var resumed = make([w, b]))
                {
                    resumed.Load(path);
                    Assert.AreEqual(2L, resumed.StepCount, $"{what}: step count restored");
                    TrainStep(resumed, w, b);
                }
                CollectionAssert.AreEqual(continuous.W, Values(w), $"{what}: resumed W differs from 3 continuous steps");
                CollectionAssert.AreEqual(continuous.B, Values(b), $"{what}: resumed b differs from 3 continuous steps");

                // Without the state the third step differs, so the comparison above depends on the loaded state.
                using var wFresh = torch.FromArray(afterTwo.Item1.Select(v => (float)v).ToArray(), 3, 4).RequiresGrad_();
                using var bFresh = torch.FromArray(afterTwo.Item2.Select(v => (float)v).ToArray(), 3).RequiresGrad_();
                using (var fresh = make([wFresh, bFresh])) TrainStep(fresh, wFresh, bFresh);
                CollectionAssert.AreNotEqual(continuous.W, Values(wFresh), $"{what}: a fresh optimizer should not reproduce the resumed step");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod] public void AdamStateSurvivesSaveAndLoad() => AssertResumeEqualsContinuous(p => new Adam(p, 0.01), AdamPlainW, AdamPlainB, "Adam");
    [TestMethod] public void NAdamStateSurvivesSaveAndLoad() => AssertResumeEqualsContinuous(p => new NAdam(p, 0.01), NAdamPlainW, NAdamPlainB, "NAdam");
    [TestMethod] public void SgdMomentumStateSurvivesSaveAndLoad() =>
        AssertResumeEqualsContinuous(p => new SGD(p, 0.1, momentum: 0.9), SgdMomentumW, SgdMomentumB, "SGD momentum");
    [TestMethod] public void SgdDecayStepCountSurvivesSaveAndLoad() =>
        AssertResumeEqualsContinuous(p => new SGD(p, 0.1, decay: 0.5), SgdKerasDecayW, SgdKerasDecayB, "SGD decay");

    [TestMethod]
    public void StateDictNamesEntriesAndStoresStepsAndLearningRate()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        using (var nadam = new NAdam([w, b], 0.01))
        {
            TrainStep(nadam, w, b);
            TrainStep(nadam, w, b);
            nadam.LearningRate = 0.004;
            using var scope = torch.NewDisposeScope();
            var state = nadam.StateDict();
            CollectionAssert.AreEquivalent(
                new[]
                {
                    "step_count", "param_count", "hyper.lr", "hyper.beta1", "hyper.beta2", "hyper.eps", "hyper.weight_decay", "hyper.momentum_decay",
                    "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.mu_product",
                    "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.mu_product",
                },
                state.Keys.ToArray());
            Assert.AreEqual(ScalarType.Float64, state["state.0.step"].Dtype);
            Assert.AreEqual(0, state["state.0.step"].Dim);
            Assert.AreEqual(2.0, state["state.0.step"].Item());
            Assert.AreEqual(2.0, state["step_count"].Item());
            Assert.AreEqual(0.004, state["hyper.lr"].Item());
            Approx.Shape([3, 4], state["state.0.exp_avg"]);
            double mu1 = 0.9 * (1 - 0.5 * Math.Pow(0.96, 1 * 4e-3));
            double mu2 = 0.9 * (1 - 0.5 * Math.Pow(0.96, 2 * 4e-3));
            Assert.AreEqual(mu1 * mu2, state["state.1.mu_product"].Item(), 1e-7);
        }
    }

    [TestMethod]
    public void LoadStateDictRestoresLearningRateAndHyperParameters()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        {
            using var scope = torch.NewDisposeScope();
            Dictionary<string, Tensor> state;
            using (var source = new Adam([w, b], 0.02, beta1: 0.8, amsgrad: true))
            {
                TrainStep(source, w, b);
                state = source.StateDict();
            }
            using var target = new Adam([w, b], 0.5);
            target.LoadStateDict(state);
            Assert.AreEqual((0.02, 0.8, true, 1L), (target.LearningRate, target.Beta1, target.Amsgrad, target.StepCount));
            Approx.Equal(Values(state["state.0.max_exp_avg_sq"]), target.StateDict()["state.0.max_exp_avg_sq"], rtol: 0, atol: 0);
        }
    }

    [TestMethod]
    public void LoadStateDictNamesMissingAndMismatchedEntries()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        using (var adam = new Adam([w, b], 0.01))
        {
            TrainStep(adam, w, b);
            using var scope = torch.NewDisposeScope();

            var missing = adam.StateDict();
            missing.Remove("state.1.exp_avg_sq");
            var e = Assert.ThrowsExactly<ArgumentException>(() => adam.LoadStateDict(missing));
            StringAssert.Contains(e.Message, "'state.1.exp_avg_sq'");

            var wrongShape = adam.StateDict();
            wrongShape["state.0.exp_avg"] = torch.Zeros(4, 3);
            e = Assert.ThrowsExactly<ArgumentException>(() => adam.LoadStateDict(wrongShape));
            StringAssert.Contains(e.Message, "'state.0.exp_avg'");
            StringAssert.Contains(e.Message, "[4, 3]");

            var noHyper = adam.StateDict();
            noHyper.Remove("hyper.beta2");
            e = Assert.ThrowsExactly<ArgumentException>(() => adam.LoadStateDict(noHyper));
            StringAssert.Contains(e.Message, "'hyper.beta2'");

            var extra = adam.StateDict();
            extra["state.0.max_exp_avg_sq"] = torch.Zeros(3, 4);
            e = Assert.ThrowsExactly<ArgumentException>(() => adam.LoadStateDict(extra));
            StringAssert.Contains(e.Message, "'state.0.max_exp_avg_sq'");

            // A failed load changes nothing.
            Assert.AreEqual((0.01, false, 1L), (adam.LearningRate, adam.Amsgrad, adam.StepCount));
            Assert.IsTrue(adam.StateDict().ContainsKey("state.1.exp_avg_sq"));
        }
    }

    [TestMethod]
    public void LoadingAnotherOptimizerTypeFailsClearly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mnistml-optim-{Guid.NewGuid():N}.bin");
        var (w, b) = NewParameters();
        try
        {
            using (w) using (b)
            {
                using (var sgd = new SGD([w, b], 0.1, momentum: 0.9))
                {
                    TrainStep(sgd, w, b);
                    sgd.Save(path);
                }
                using var adam = new Adam([w, b]);
                var e = Assert.ThrowsExactly<InvalidDataException>(() => adam.Load(path));
                StringAssert.Contains(e.Message, "SGD");
                StringAssert.Contains(e.Message, "Adam");
                Assert.AreEqual(0L, adam.StepCount);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void DisposedOptimizerRefusesToStep()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        {
            var adam = new Adam([w, b]);
            Backward(w, b);
            adam.Step();
            adam.Dispose();
            Assert.ThrowsExactly<ObjectDisposedException>(() => adam.Step());
        }
    }

    // ---- argument checks ----

    private static void AssertRejected<TException>(Func<IEnumerable<Tensor>, Optimizer> make, string parameterName, string value)
        where TException : ArgumentException
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        {
            var e = Assert.ThrowsExactly<TException>(() => make([w, b]).Dispose());
            Assert.AreEqual(parameterName, e.ParamName);
            StringAssert.Contains(e.Message, value);
        }
    }

    [TestMethod]
    public void ImpossibleHyperParametersThrowNamingTheParameter()
    {
        AssertRejected<ArgumentOutOfRangeException>(p => new SGD(p, 0), "learningRate", "0");
        AssertRejected<ArgumentOutOfRangeException>(p => new SGD(p, -0.1), "learningRate", "-0.1");
        AssertRejected<ArgumentOutOfRangeException>(p => new Adam(p, double.NaN), "learningRate", "NaN");
        AssertRejected<ArgumentOutOfRangeException>(p => new SGD(p, 0.1, momentum: -0.5), "momentum", "-0.5");
        AssertRejected<ArgumentOutOfRangeException>(p => new SGD(p, 0.1, weightDecay: -1), "weightDecay", "-1");
        AssertRejected<ArgumentException>(p => new SGD(p, 0.1, nesterov: true), "nesterov", "momentum");
        AssertRejected<ArgumentException>(p => new SGD(p, 0.1, momentum: 0.9, dampening: 0.1, nesterov: true), "nesterov", "dampening");
        AssertRejected<ArgumentOutOfRangeException>(p => new Adam(p, beta1: 1.0), "beta1", "1");
        AssertRejected<ArgumentOutOfRangeException>(p => new Adam(p, beta2: -0.1), "beta2", "-0.1");
        AssertRejected<ArgumentOutOfRangeException>(p => new Adam(p, epsilon: -1e-8), "epsilon", "-1E-08");
        AssertRejected<ArgumentOutOfRangeException>(p => new AdamW(p, weightDecay: -0.01), "weightDecay", "-0.01");
        AssertRejected<ArgumentOutOfRangeException>(p => new NAdam(p, beta1: 1.5), "beta1", "1.5");
        AssertRejected<ArgumentOutOfRangeException>(p => new NAdam(p, momentumDecay: -1), "momentumDecay", "-1");
        AssertRejected<ArgumentOutOfRangeException>(p => new RMSprop(p, rho: 1.0), "rho", "1");
        AssertRejected<ArgumentOutOfRangeException>(p => new RMSprop(p, momentum: -0.9), "momentum", "-0.9");
        AssertRejected<ArgumentOutOfRangeException>(p => new Adagrad(p, learningRateDecay: -0.1), "learningRateDecay", "-0.1");
        AssertRejected<ArgumentOutOfRangeException>(p => new Adagrad(p, initialAccumulatorValue: -0.1), "initialAccumulatorValue", "-0.1");
        AssertRejected<ArgumentOutOfRangeException>(p => new Adadelta(p, rho: 1.2), "rho", "1.2");
        AssertRejected<ArgumentOutOfRangeException>(p => new Adadelta(p, epsilon: -1), "epsilon", "-1");
        AssertRejected<ArgumentException>(p => new Adam([]), "parameters", "empty");
    }

    [TestMethod]
    public void LearningRateSetterRejectsNonPositiveValues()
    {
        var (w, b) = NewParameters();
        using (w) using (b)
        using (var adam = new Adam([w, b], 0.01))
        {
            foreach (var bad in new[] { 0.0, -0.001, double.NaN, double.PositiveInfinity })
            {
                var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => adam.LearningRate = bad);
                Assert.AreEqual("LearningRate", e.ParamName);
            }
            Assert.AreEqual(0.01, adam.LearningRate);
            adam.LearningRate = 0.5;
            Assert.AreEqual(0.5, adam.LearningRate);
        }
    }
}
