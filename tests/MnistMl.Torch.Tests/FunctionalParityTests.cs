using MnistMl.Torch.NN;

namespace MnistMl.Torch.Tests;

/// <summary>torch.nn.functional layer operations (linear, convolution, pooling, batch norm, dropout, pad, interpolate) against PyTorch.</summary>
[TestClass]
public sealed class FunctionalParityTests
{
    // ---- linear ----

    [TestMethod]
    public void Linear() => Parity.Check("Linear", (x, w, b) => Functional.Linear(x, w, b),
        Inputs.Make([3, 5], salt: 10), Inputs.Make([4, 5], salt: 11, scale: 0.5), Inputs.Make([4], salt: 12));

    [TestMethod]
    public void LinearWithoutBiasOnBatchedInput() => Parity.Check("LinearNoBias", (x, w) => Functional.Linear(x, w),
        Inputs.Make([2, 3, 5], salt: 13), Inputs.Make([4, 5], salt: 14, scale: 0.5));

    // ---- conv2d: x [2, 3, 7, 7], w [4, 3, 3, 3] ----

    private static Tensor ConvInput() => Inputs.Make([2, 3, 7, 7], salt: 20);
    private static Tensor ConvWeight() => Inputs.Make([4, 3, 3, 3], salt: 21, scale: 0.3);
    private static Tensor ConvBias() => Inputs.Make([4], salt: 22);

    [TestMethod]
    public void Conv2dStride2Padding1() => Parity.Check("Conv2dStride2Padding1",
        (x, w, b) => Functional.Conv2d(x, w, b, stride: (2, 2), padding: (1, 1)), ConvInput(), ConvWeight(), ConvBias());

    [TestMethod]
    public void Conv2dStrideAndPaddingArePerAxisHeightThenWidth() => Parity.Check("Conv2dPerAxisStrideAndPadding",
        (x, w, b) => Functional.Conv2d(x, w, b, stride: (2, 1), padding: (1, 2)), ConvInput(), ConvWeight(), ConvBias());

    [TestMethod]
    public void Conv2dDilation2() => Parity.Check("Conv2dDilation2",
        (x, w, b) => Functional.Conv2d(x, w, b, dilation: (2, 2)), ConvInput(), ConvWeight(), ConvBias());

    [TestMethod]
    public void Conv2dDepthwiseWithGroupsEqualToInputChannels() => Parity.Check("Conv2dDepthwise",
        (x, w, b) => Functional.Conv2d(x, w, b, padding: (1, 1), groups: 3),
        ConvInput(), Inputs.Make([6, 1, 3, 3], salt: 23, scale: 0.3), Inputs.Make([6], salt: 24));

    [TestMethod]
    public void Conv2dWithoutBias() => Parity.Check("Conv2dNoBias", (x, w) => Functional.Conv2d(x, w), ConvInput(), ConvWeight());

    // ---- pooling: x [2, 3, 7, 7] ----

    private static Tensor PoolInput() => Inputs.Make([2, 3, 7, 7], salt: 30);

    [TestMethod]
    public void MaxPool2dKernel3Stride2Padding1() => Parity.Check("MaxPool2dKernel3Stride2Padding1",
        x => Functional.MaxPool2d(x, (3, 3), (2, 2), (1, 1)), PoolInput());

    [TestMethod]
    public void MaxPool2dStrideDefaultsToKernel() => Parity.Check("MaxPool2dKernel2", x => Functional.MaxPool2d(x, (2, 2)), PoolInput());

    [TestMethod]
    public void AvgPool2dCountsPaddingByDefault() => Parity.Check("AvgPool2dKernel3Stride2Padding1",
        x => Functional.AvgPool2d(x, (3, 3), (2, 2), (1, 1)), PoolInput());

    [TestMethod]
    public void AvgPool2dExcludingPadding() => Parity.Check("AvgPool2dExcludePad",
        x => Functional.AvgPool2d(x, (3, 3), (2, 2), (1, 1), countIncludePad: false), PoolInput());

    [TestMethod]
    public void AvgPool2dStrideDefaultsToKernel() => Parity.Check("AvgPool2dKernel2", x => Functional.AvgPool2d(x, (2, 2)), PoolInput());

    [TestMethod]
    public void AdaptiveAvgPool2dToOneByOne() => Parity.Check("AdaptiveAvgPool2dTo1x1", x => Functional.AdaptiveAvgPool2d(x, (1, 1)), PoolInput());

    [TestMethod]
    public void AdaptiveAvgPool2dToTwoByThree() => Parity.Check("AdaptiveAvgPool2dTo2x3", x => Functional.AdaptiveAvgPool2d(x, (2, 3)), PoolInput());

    // ---- batch norm: x [4, 3, 2, 2] with non-trivial weight, bias and running statistics ----

    private static Tensor BnWeight() => Inputs.Make([3], salt: 42, scale: 0.5, offset: 1.0);
    private static Tensor BnBias() => Inputs.Make([3], salt: 43);
    private static Tensor BnRunningMean() => Inputs.Make([3], salt: 44);
    private static Tensor BnRunningVar() => Inputs.Make([3], salt: 45, scale: 0.5, offset: 1.5);
    private static Tensor BnFirstBatch() => Inputs.Make([4, 3, 2, 2], salt: 40, scale: 2.0, offset: 0.5);
    private static Tensor BnSecondBatch() => Inputs.Make([4, 3, 2, 2], salt: 41, scale: 1.5, offset: -0.3);

    [TestMethod]
    public void BatchNormTrainingNormalizesWithBatchStatistics()
    {
        using var runningMean = BnRunningMean();
        using var runningVar = BnRunningVar();
        Parity.Check("BatchNormTraining",
            (x, w, b) => Functional.BatchNorm(x, runningMean, runningVar, w, b, training: true, momentum: 0.1, eps: 1e-5),
            BnFirstBatch(), BnWeight(), BnBias());
    }

    [TestMethod]
    public void BatchNormTrainingUpdatesRunningStatisticsWithUnbiasedVariance()
    {
        using var scope = torch.NewDisposeScope();
        var runningMean = BnRunningMean();
        var runningVar = BnRunningVar();
        var weight = BnWeight();
        var bias = BnBias();
        Functional.BatchNorm(BnFirstBatch(), runningMean, runningVar, weight, bias, training: true, momentum: 0.1, eps: 1e-5);
        Functional.BatchNorm(BnSecondBatch(), runningMean, runningVar, weight, bias, training: true, momentum: 0.1, eps: 1e-5);
        Parity.Values("BatchNormTraining_RunningMean", runningMean);
        Parity.Values("BatchNormTraining_RunningVar", runningVar);
    }

    [TestMethod]
    public void BatchNormEvalUsesRunningStatistics()
    {
        using var runningMean = BnRunningMean();
        using var runningVar = BnRunningVar();
        Parity.Check("BatchNormEval",
            (x, w, b) => Functional.BatchNorm(x, runningMean, runningVar, w, b, training: false, momentum: 0.1, eps: 1e-5),
            BnFirstBatch(), BnWeight(), BnBias());
        // Evaluation leaves the running statistics alone.
        using var scope = torch.NewDisposeScope();
        Approx.Equal(BnRunningMean().To(ScalarType.Float64).ToArray<double>(), runningMean, 0, 0, "running mean after eval");
        Approx.Equal(BnRunningVar().To(ScalarType.Float64).ToArray<double>(), runningVar, 0, 0, "running var after eval");
    }

    // ---- dropout ----

    private static Tensor DropoutInput() => Inputs.Make([5, 8], salt: 50);

    [TestMethod]
    [DataRow(1234UL)]
    [DataRow(7UL)]
    public void DropoutMaskEqualsPyTorchForTheSameSeed(ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        var x = DropoutInput().RequiresGrad_();
        torch.ManualSeed(seed);
        var y = Functional.Dropout(x, 0.4, training: true);
        // Same generator, same seed: the same mask, and the kept values scaled by 1/(1-p) bit for bit.
        Parity.Output($"DropoutSeed{seed}", y, rtol: 0, atol: 0);
        Parity.BackwardWithUpstream(y);
        Parity.Gradient($"DropoutSeed{seed}_Grad0", x);
    }

    [TestMethod]
    public void DropoutWithRateZeroIsIdentity()
    {
        using var scope = torch.NewDisposeScope();
        var x = DropoutInput();
        var y = Functional.Dropout(x, 0, training: true);
        Approx.Equal(x.To(ScalarType.Float64).ToArray<double>(), y, 0, 0, "dropout p=0");
    }

    [TestMethod]
    public void DropoutWhenNotTrainingIsIdentity()
    {
        using var scope = torch.NewDisposeScope();
        var x = DropoutInput();
        var y = Functional.Dropout(x, 0.5, training: false);
        Approx.Equal(x.To(ScalarType.Float64).ToArray<double>(), y, 0, 0, "dropout training=false");
    }

    // ---- pad and interpolate: x [1, 2, 4, 5] ----

    private static Tensor ImageInput() => Inputs.Make([1, 2, 4, 5], salt: 60);

    [TestMethod]
    public void PadConstantWithValue() => Parity.Check("PadConstant",
        x => Functional.Pad(x, [1, 2, 0, 3], PaddingMode.Constant, 0.5), ImageInput());

    [TestMethod]
    public void PadReflect() => Parity.Check("PadReflect", x => Functional.Pad(x, [2, 1, 1, 2], PaddingMode.Reflect), ImageInput());

    [TestMethod]
    public void PadReplicate() => Parity.Check("PadReplicate", x => Functional.Pad(x, [1, 3, 2, 0], PaddingMode.Replicate), ImageInput());

    private static Tensor SequenceInput() => Inputs.Make([2, 3, 5], salt: 62);

    [TestMethod]
    public void PadReflectLastDimensionOfSequence() =>
        Parity.Check("PadReflect1d", x => Functional.Pad(x, [2, 3], PaddingMode.Reflect), SequenceInput());

    [TestMethod]
    public void PadReplicateLastDimensionOfSequence() =>
        Parity.Check("PadReplicate1d", x => Functional.Pad(x, [3, 1], PaddingMode.Replicate), SequenceInput());

    [TestMethod]
    public void PadConstantLastDimensionOfSequence() =>
        Parity.Check("PadConstant1d", x => Functional.Pad(x, [1, 2], PaddingMode.Constant, -1.5), SequenceInput());

    [TestMethod]
    public void InterpolateBilinear() => Parity.Check("InterpolateBilinear",
        x => Functional.Interpolate(x, (7, 3), InterpolationMode.Bilinear, alignCorners: false), ImageInput());

    [TestMethod]
    public void InterpolateBilinearAlignCorners() => Parity.Check("InterpolateBilinearAlignCorners",
        x => Functional.Interpolate(x, (7, 3), InterpolationMode.Bilinear, alignCorners: true), ImageInput());

    [TestMethod]
    public void InterpolateNearest() => Parity.Check("InterpolateNearest",
        x => Functional.Interpolate(x, (6, 8), InterpolationMode.Nearest), ImageInput());
}
