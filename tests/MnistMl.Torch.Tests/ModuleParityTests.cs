using MnistMl.Torch.NN;

namespace MnistMl.Torch.Tests;

/// <summary>Modules (Conv2d with Keras padding, pooling, batch norm, dropout, flatten, Sequential) against PyTorch, with parameter gradients.</summary>
[TestClass]
public sealed class ModuleParityTests
{
    /// <summary>Overwrites a parameter with formula values (and disposes them).</summary>
    private static void Set(Tensor? parameter, Tensor values)
    {
        Assert.IsNotNull(parameter);
        using (values)
        using (torch.NoGrad())
            parameter.Copy_(values);
    }

    // ---- Conv2d ----

    [TestMethod]
    [DataRow("Conv2dSameStride1", 3, 3, 1, DisplayName = "same, 3x3, stride 1 (symmetric)")]
    [DataRow("Conv2dSameStride1EvenKernel", 2, 4, 1, DisplayName = "same, 2x4, stride 1 (extra row and column bottom/right)")]
    [DataRow("Conv2dSameStride2", 3, 3, 2, DisplayName = "same, 3x3, stride 2 on 8x8 (TF-style asymmetric)")]
    public void Conv2dModuleSamePaddingMatchesTensorFlowPadding(string name, int kernelH, int kernelW, int stride)
    {
        using var conv = new Conv2d(3, 4, (kernelH, kernelW), (stride, stride), Padding2d.Same);
        Set(conv.Weight, Inputs.Make([4, 3, kernelH, kernelW], salt: 26, scale: 0.3));
        Set(conv.Bias, Inputs.Make([4], salt: 27));
        Parity.Check(name, conv.Forward, Inputs.Make([2, 3, 8, 8], salt: 25));
        Parity.Gradient($"{name}_Grad1", conv.Weight, $"{name}: weight gradient");
        Parity.Gradient($"{name}_Grad2", conv.Bias!, $"{name}: bias gradient");
    }

    [TestMethod]
    public void Conv2dModuleSamePaddingAccountsForDilation()
    {
        using var conv = new Conv2d(3, 4, (2, 3), padding: Padding2d.Same, dilation: (3, 2));
        Set(conv.Weight, Inputs.Make([4, 3, 2, 3], salt: 28, scale: 0.3));
        Set(conv.Bias, Inputs.Make([4], salt: 29));
        Parity.Check("Conv2dSameDilation", conv.Forward, Inputs.Make([2, 3, 8, 8], salt: 25));
        Parity.Gradient("Conv2dSameDilation_Grad1", conv.Weight, "weight gradient");
        Parity.Gradient("Conv2dSameDilation_Grad2", conv.Bias!, "bias gradient");
    }

    [TestMethod]
    public void DepthwiseConv2dModuleSamePadding()
    {
        using var conv = new Conv2d(3, 6, (3, 3), padding: Padding2d.Same, groups: 3);
        Set(conv.Weight, Inputs.Make([6, 1, 3, 3], salt: 23, scale: 0.3));
        Set(conv.Bias, Inputs.Make([6], salt: 24));
        Parity.Check("Conv2dDepthwise", conv.Forward, Inputs.Make([2, 3, 7, 7], salt: 20));
        Parity.Gradient("Conv2dDepthwise_Grad1", conv.Weight, "weight gradient");
        Parity.Gradient("Conv2dDepthwise_Grad2", conv.Bias!, "bias gradient");
    }

    [TestMethod]
    public void Conv2dModuleExplicitPadding()
    {
        using var conv = new Conv2d(3, 4, (3, 3), stride: (1, 2), padding: Padding2d.Explicit(2, 1));
        Set(conv.Weight, Inputs.Make([4, 3, 3, 3], salt: 21, scale: 0.3));
        Set(conv.Bias, Inputs.Make([4], salt: 22));
        Parity.Check("Conv2dModuleExplicitPadding", conv.Forward, Inputs.Make([2, 3, 7, 7], salt: 20));
        Parity.Gradient("Conv2dModuleExplicitPadding_Grad1", conv.Weight, "weight gradient");
        Parity.Gradient("Conv2dModuleExplicitPadding_Grad2", conv.Bias!, "bias gradient");
    }

    [TestMethod]
    public void Conv2dModuleDefaultInitializationIsGlorotUniform()
    {
        torch.ManualSeed(6);
        using var conv = new Conv2d(3, 8, (3, 3));
        Parity.Values("Conv2dDefaultInit_Weight", conv.Weight, rtol: 0, atol: 0);
        Assert.IsTrue(conv.Bias!.ToArray<float>().All(v => v == 0), "bias starts at zero");
    }

    [TestMethod]
    public void LinearModuleDefaultInitializationIsGlorotUniform()
    {
        torch.ManualSeed(5);
        using var linear = new Linear(6, 4);
        Parity.Values("LinearDefaultInit_Weight", linear.Weight, rtol: 0, atol: 0);
        Assert.IsTrue(linear.Bias!.ToArray<float>().All(v => v == 0), "bias starts at zero");
    }

    // ---- pooling modules: Keras "same" (max pads with -inf, average over real cells only) ----

    private static Tensor Even() => Inputs.Make([2, 3, 8, 8], salt: 31);
    private static Tensor Odd() => Inputs.Make([2, 3, 7, 7], salt: 30);

    [TestMethod]
    public void MaxPool2dSameStride2OnEvenInput()
    {
        using var pool = new MaxPool2d((3, 3), (2, 2), Padding2d.Same);
        Parity.Check("MaxPool2dSameStride2", pool.Forward, Even());
    }

    [TestMethod]
    public void MaxPool2dSameStride1()
    {
        using var pool = new MaxPool2d((3, 3), (1, 1), Padding2d.Same);
        Parity.Check("MaxPool2dSameStride1", pool.Forward, Even());
    }

    [TestMethod]
    public void MaxPool2dSameOnOddInput()
    {
        using var pool = new MaxPool2d((2, 2), padding: Padding2d.Same);
        Parity.Check("MaxPool2dSameOddInput", pool.Forward, Odd());
    }

    [TestMethod]
    public void AvgPool2dSameStride2OnEvenInputAveragesRealCellsOnly()
    {
        using var pool = new AvgPool2d((3, 3), (2, 2), Padding2d.Same);
        Parity.Check("AvgPool2dSameStride2", pool.Forward, Even());
    }

    [TestMethod]
    public void AvgPool2dSameStride1AveragesRealCellsOnly()
    {
        using var pool = new AvgPool2d((3, 3), (1, 1), Padding2d.Same);
        Parity.Check("AvgPool2dSameStride1", pool.Forward, Even());
    }

    [TestMethod]
    public void AvgPool2dSameOnOddInputAveragesRealCellsOnly()
    {
        using var pool = new AvgPool2d((2, 2), padding: Padding2d.Same);
        Parity.Check("AvgPool2dSameOddInput", pool.Forward, Odd());
    }

    [TestMethod]
    public void MaxPool2dModuleValid()
    {
        using var pool = new MaxPool2d((2, 3), (1, 2));
        Parity.Check("MaxPool2dModuleValid", pool.Forward, Odd());
    }

    [TestMethod]
    public void AvgPool2dModuleValid()
    {
        using var pool = new AvgPool2d((2, 3), (1, 2));
        Parity.Check("AvgPool2dModuleValid", pool.Forward, Odd());
    }

    [TestMethod]
    public void MaxPool2dModuleExplicitPaddingMatchesPyTorchPadding()
    {
        using var pool = new MaxPool2d((3, 3), (2, 2), Padding2d.Explicit(1, 1));
        Parity.Check("MaxPool2dKernel3Stride2Padding1", pool.Forward, Odd());
    }

    [TestMethod]
    public void AvgPool2dModuleExplicitPaddingCountsPaddedCellsAsPyTorch()
    {
        using var pool = new AvgPool2d((3, 3), (2, 2), Padding2d.Explicit(1, 1));
        Parity.Check("AvgPool2dKernel3Stride2Padding1", pool.Forward, Odd());
    }

    [TestMethod]
    public void AdaptiveAvgPool2dModule()
    {
        using var pool = new AdaptiveAvgPool2d((2, 3));
        Parity.Check("AdaptiveAvgPool2dTo2x3", pool.Forward, Odd());
    }

    // ---- batch norm modules ----

    private static BatchNorm CreateBatchNorm(string name, long channels)
    {
        BatchNorm module = name == "BatchNorm1dModule" ? new BatchNorm1d(channels) : new BatchNorm2d(channels);
        Set(module.Weight, Inputs.Make([channels], salt: 46, scale: 0.5, offset: 1.0));
        Set(module.Bias, Inputs.Make([channels], salt: 47));
        return module;
    }

    private static Tensor FirstBatch(long[] shape) => Inputs.Make(shape, salt: 48, scale: 2.0, offset: 0.5);
    private static Tensor SecondBatch(long[] shape) => Inputs.Make(shape, salt: 49, scale: 1.5, offset: -0.3);

    /// <summary>Forward and backward of the first batch; compares output and input/weight/bias gradients with Name_{Phase}….</summary>
    private static void CheckForwardBackward(string name, string phase, BatchNorm module, long[] shape)
    {
        using var scope = torch.NewDisposeScope();
        var x = FirstBatch(shape).RequiresGrad_();
        var output = module.Forward(x);
        Approx.Shape(shape, output, $"{name} {phase} output");
        Parity.Values($"{name}_{phase}Output", output);
        Parity.BackwardWithUpstream(output);
        Parity.Gradient($"{name}_{phase}GradInput", x);
        Parity.Gradient($"{name}_{phase}GradWeight", module.Weight!);
        Parity.Gradient($"{name}_{phase}GradBias", module.Bias!);
    }

    [TestMethod]
    [DataRow("BatchNorm1dModule", new long[] { 6, 4 })]
    [DataRow("BatchNorm2dModule", new long[] { 4, 3, 3, 2 })]
    public void BatchNormModuleTrainingOutputAndGradients(string name, long[] shape)
    {
        using var module = CreateBatchNorm(name, shape[1]);
        CheckForwardBackward(name, "Train", module, shape);
    }

    [TestMethod]
    [DataRow("BatchNorm1dModule", new long[] { 6, 4 })]
    [DataRow("BatchNorm2dModule", new long[] { 4, 3, 3, 2 })]
    public void BatchNormModuleRunningStatisticsAfterTwoTrainingBatches(string name, long[] shape)
    {
        using var module = CreateBatchNorm(name, shape[1]);
        using (var scope = torch.NewDisposeScope())
        {
            module.Forward(FirstBatch(shape));
            module.Forward(SecondBatch(shape));
        }
        Parity.Values($"{name}_RunningMean", module.RunningMean);
        Parity.Values($"{name}_RunningVar", module.RunningVar);
    }

    [TestMethod]
    [DataRow("BatchNorm1dModule", new long[] { 6, 4 })]
    [DataRow("BatchNorm2dModule", new long[] { 4, 3, 3, 2 })]
    public void BatchNormModuleEvalUsesRunningStatistics(string name, long[] shape)
    {
        using var module = CreateBatchNorm(name, shape[1]);
        using (var scope = torch.NewDisposeScope())
        {
            module.Forward(FirstBatch(shape));
            module.Forward(SecondBatch(shape));
        }
        module.Eval();
        module.ZeroGrad();
        CheckForwardBackward(name, "Eval", module, shape);
    }

    // ---- dropout, flatten ----

    [TestMethod]
    public void DropoutModuleMaskEqualsPyTorchForTheSameSeed()
    {
        using var scope = torch.NewDisposeScope();
        using var dropout = new Dropout(0.25);
        var x = Inputs.Make([5, 8], salt: 50);
        torch.ManualSeed(99);
        Parity.Output("DropoutModuleSeed99", dropout.Forward(x), rtol: 0, atol: 0);
    }

    [TestMethod]
    public void DropoutModuleInEvalModeIsIdentity()
    {
        using var scope = torch.NewDisposeScope();
        using var dropout = new Dropout(0.5);
        dropout.Eval();
        var x = Inputs.Make([5, 8], salt: 50);
        Approx.Equal(x.To(ScalarType.Float64).ToArray<double>(), dropout.Forward(x), 0, 0, "dropout in eval mode");
    }

    [TestMethod]
    public void FlattenKeepsTheBatchDimension()
    {
        using var flatten = new Flatten();
        Parity.Check("Flatten", flatten.Forward, Inputs.Make([2, 3, 2, 2], salt: 61));
    }

    // ---- Sequential: Conv2d(2→3, 3x3) → ReLU → MaxPool2d(2) → Flatten → Linear(27→4) ----

    [TestMethod]
    public void SequentialForwardAndEveryParameterGradient()
    {
        using var model = SequentialParity.Create();
        Parity.Check("Sequential", model.Forward, Inputs.Make([2, 2, 8, 8], salt: 74));
        // Parity.Check names the input gradient Sequential_Grad0; the parameters carry their state_dict names.
        CollectionAssert.AreEqual(new[] { "0.weight", "0.bias", "4.weight", "4.bias" }, model.NamedParameters().Select(p => p.Name).ToArray());
        foreach (var (name, parameter) in model.NamedParameters())
            Parity.Gradient($"Sequential_Grad_{name.Replace('.', '_')}", parameter, $"gradient of {name}");
    }
}

/// <summary>The small network of the Sequential parity test, with the weights torch_parity.py gives it.</summary>
internal static class SequentialParity
{
    public static Sequential Create()
    {
        var model = new Sequential(
            new Conv2d(2, 3, (3, 3)),
            new Activation("relu"),
            new MaxPool2d((2, 2)),
            new Flatten(),
            new Linear(27, 4));
        var conv = (Conv2d)model[0];
        var linear = (Linear)model[4];
        using var _ = torch.NoGrad();
        using (var w = Inputs.Make([3, 2, 3, 3], salt: 70, scale: 0.4)) conv.Weight.Copy_(w);
        using (var b = Inputs.Make([3], salt: 71, scale: 0.1)) conv.Bias!.Copy_(b);
        using (var w = Inputs.Make([4, 27], salt: 72, scale: 0.3)) linear.Weight.Copy_(w);
        using (var b = Inputs.Make([4], salt: 73)) linear.Bias!.Copy_(b);
        return model;
    }
}
