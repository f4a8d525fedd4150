using Microsoft.ML;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Tests;

/// <summary>
/// ImageAugmentation: the affine sampling against transforms whose result is known exactly (a quarter turn is a
/// transpose and a flip, a one-pixel shift is a slice, a mirror is a flip), zero settings as the identity, shapes,
/// seeding, the settings' checks, and the trainer using it on training batches only.
/// </summary>
[TestClass]
public sealed class AugmentationTests
{
    private static Tensor Images(long n = 4, long c = 1, long h = 12, long w = 12)
    {
        using var _ = torch.NewDisposeScope();
        var generator = new torch.Generator(5);
        return torch.rand([n, c, h, w], generator: generator).DetachFromDisposeScope();
    }

    private static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().ToSingle();

    private static Tensor Zeros(long n) => torch.zeros(n);

    [TestMethod]
    public void ZeroSettingsAreTheIdentity()
    {
        using var scope = torch.NewDisposeScope();
        var x = Images(c: 3, h: 10, w: 14);
        long n = x.shape[0];
        // The sampling with zero angles and shifts, unit zoom and no flips gives the pixels back.
        foreach (var fill in ImageAugmentation.FillModes)
            Assert.IsTrue(MaxDifference(ImageAugmentation.Transform(x, Zeros(n), Zeros(n), Zeros(n), torch.ones(n), torch.ones(n), torch.zeros(n, ScalarType.Bool), fill), x) < 1e-5f, fill);
        // Zero settings skip it: the batch itself.
        CollectionAssert.AreEqual(x.data<float>().ToArray(), new ImageAugmentation().Apply(x).data<float>().ToArray());
    }

    [TestMethod]
    public void AQuarterTurnIsATransposeAndAFlip()
    {
        using var scope = torch.NewDisposeScope();
        var x = Images();
        long n = x.shape[0];
        var turned = ImageAugmentation.Transform(x, torch.full(n, Math.PI / 2), Zeros(n), Zeros(n), torch.ones(n), torch.ones(n), torch.zeros(n, ScalarType.Bool));
        // Output (row i, column j) samples input (row j, column W-1-i): a quarter turn counter-clockwise.
        Assert.IsTrue(MaxDifference(turned, x.transpose(2, 3).flip(2)) < 1e-4f);
    }

    [TestMethod]
    public void AOnePixelShiftMovesEveryColumnAndFillsTheEdge()
    {
        using var scope = torch.NewDisposeScope();
        var x = Images(h: 8, w: 10);
        long n = x.shape[0];
        var shifted = ImageAugmentation.Transform(x, Zeros(n), torch.full(n, 1.0 / 10), torch.full(n, 2.0 / 8), torch.ones(n), torch.ones(n), torch.zeros(n, ScalarType.Bool), "constant");
        // One column right and two rows down; what comes in from outside is 0.
        Assert.IsTrue(MaxDifference(shifted.narrow(2, 2, 6).narrow(3, 1, 9), x.narrow(2, 0, 6).narrow(3, 0, 9)) < 1e-5f);
        Assert.AreEqual(0f, shifted.narrow(3, 0, 1).abs().max().ToSingle());
        Assert.AreEqual(0f, shifted.narrow(2, 0, 2).abs().max().ToSingle());
        // "nearest" repeats the edge instead.
        var nearest = ImageAugmentation.Transform(x, Zeros(n), torch.full(n, 1.0 / 10), Zeros(n), torch.ones(n), torch.ones(n), torch.zeros(n, ScalarType.Bool), "nearest");
        Assert.IsTrue(MaxDifference(nearest.narrow(3, 0, 1), x.narrow(3, 0, 1)) < 1e-5f);
    }

    [TestMethod]
    public void AFlipMirrorsLeftToRightAndOnlyTheFlippedImages()
    {
        using var scope = torch.NewDisposeScope();
        var x = Images(h: 9, w: 11);
        var flips = torch.tensor(new[] { true, false, true, false });
        var mirrored = ImageAugmentation.Transform(x, Zeros(4), Zeros(4), Zeros(4), torch.ones(4), torch.ones(4), flips);
        Assert.IsTrue(MaxDifference(mirrored[0], x[0].flip(2)) < 1e-5f);
        Assert.IsTrue(MaxDifference(mirrored[1], x[1]) < 1e-5f);
        Assert.IsTrue(MaxDifference(mirrored[2], x[2].flip(2)) < 1e-5f);
    }

    [TestMethod]
    public void ShapesAreKeptAndTheSeedFixesTheDraws()
    {
        using var scope = torch.NewDisposeScope();
        var x = Images(n: 6, c: 3, h: 16, w: 20);
        var augmentation = new ImageAugmentation { RotationRange = 15, WidthShiftRange = 0.1, HeightShiftRange = 0.1, ZoomRange = 0.1, HorizontalFlip = true };
        torch.manual_seed(3);
        var first = augmentation.Apply(x);
        torch.manual_seed(3);
        var again = augmentation.Apply(x);
        torch.manual_seed(4);
        var other = augmentation.Apply(x);
        CollectionAssert.AreEqual(x.shape, first.shape);
        Assert.AreEqual(0f, MaxDifference(first, again));
        Assert.IsTrue(MaxDifference(first, other) > 0.01f);
        Assert.IsTrue(MaxDifference(first, x) > 0.01f);
    }

    [TestMethod]
    public void ImpossibleSettingsAreRefusedNamingThem()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ImageAugmentation { RotationRange = 200 }.Validate()).Message, "rotation_range");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ImageAugmentation { WidthShiftRange = 1.5 }.Validate()).Message, "width_shift_range");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ImageAugmentation { ZoomRange = -0.1 }.Validate()).Message, "zoom_range");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ImageAugmentation { FillMode = "wrap" }.Validate()).Message, "fill_mode");
    }

    private static IDataView ImageData(MLContext ml) =>
        ml.Data.LoadImages(Enumerable.Range(0, 300 * 64).Select(i => (float)Math.Abs(Math.Sin(i * 0.37))).ToArray(),
            Enumerable.Range(0, 300).Select(i => i % 3).ToArray(), (1, 8, 8));

    private static float[] TrainedWeights(ImageAugmentation? augmentation)
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.MulticlassClassification.Trainers.Network(new NetworkSpec(new FlattenLayer(), new DenseLayer(16, "relu"), new DenseLayer(3, "softmax")), featureColumnName: "Image",
            options: new TrainingOptions { Epochs = 2, Seed = 2, ValidationFraction = 0.2, Augmentation = augmentation });
        using var model = trainer.Fit(ImageData(ml));
        return model.Network.state_dict()["dense.weight"].data<float>().ToArray();
    }

    [TestMethod]
    public void TheTrainerAugmentsTrainingBatchesReproducibly()
    {
        var augmentation = new ImageAugmentation { RotationRange = 20, WidthShiftRange = 0.2, HorizontalFlip = true };
        var augmented = TrainedWeights(augmentation);
        CollectionAssert.AreEqual(augmented, TrainedWeights(augmentation));
        CollectionAssert.AreNotEqual(TrainedWeights(null), augmented);
        // Zero settings leave training as it is: the identity, and no generator draws that would change dropout or anything else.
        CollectionAssert.AreEqual(TrainedWeights(null), TrainedWeights(new ImageAugmentation()), "zero settings");
    }

    [TestMethod]
    public void AugmentingFlatFeaturesIsRefusedNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var flat = ml.Transforms.Flatten("Features", "Image").Fit(ImageData(ml)).Transform(ImageData(ml));
        var trainer = ml.MulticlassClassification.Trainers.Network(new NetworkSpec(new DenseLayer(3, "softmax")),
            options: new TrainingOptions { Augmentation = new ImageAugmentation { RotationRange = 10 } });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.Fit(flat)).Message, "'Features'");
    }

    [TestMethod]
    public void PipelineFilesTakeKerasNames()
    {
        var definition = MnistMl.Pipelines.PipelineDefinition.FromJson("""
        {
          "name": "augmented",
          "data": { "dataset": "fashion-mnist" },
          "transforms": [ { "type": "ScalePixels", "output": "Image" } ],
          "feature_column": "Image",
          "network": { "layers": [ { "type": "Flatten" }, { "type": "Dense", "units": 10, "activation": "softmax" } ] },
          "training": { "augmentation": { "rotation_range": 10, "width_shift_range": 0.1, "height_shift_range": 0.05, "zoom_range": 0.1, "horizontal_flip": true, "fill_mode": "constant" } }
        }
        """, "augmented.json");
        Assert.AreEqual(new ImageAugmentation { RotationRange = 10, WidthShiftRange = 0.1, HeightShiftRange = 0.05, ZoomRange = 0.1, HorizontalFlip = true, FillMode = "constant" },
            definition.Training.ToOptions().Augmentation);
    }
}
