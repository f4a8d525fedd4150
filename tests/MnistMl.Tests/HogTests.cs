using MnistMl.Data;
using MnistMl.Features;

namespace MnistMl.Tests;

/// <summary>HOG features against skimage.feature.hog (values in <see cref="HogReference"/>, from tests/reference/hog_reference.py).</summary>
[TestClass]
public sealed class HogTests
{
    /// <summary>The parameter sets of hog_reference.py, by the case part of the reference names.</summary>
    private static readonly Dictionary<string, HogOptions> Cases = new()
    {
        ["O8_Cell4x4_Block1x1_L2Hys"] = new() { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1), BlockNorm = HogBlockNorm.L2Hys },
        ["O9_Cell8x8_Block3x3_L2Hys"] = new() { Orientations = 9, PixelsPerCell = (8, 8), CellsPerBlock = (3, 3), BlockNorm = HogBlockNorm.L2Hys },
        ["O9_Cell7x7_Block2x2_L1"] = new() { Orientations = 9, PixelsPerCell = (7, 7), CellsPerBlock = (2, 2), BlockNorm = HogBlockNorm.L1 },
        ["O16_Cell4x4_Block2x2_L1Sqrt_Sqrt"] = new() { Orientations = 16, PixelsPerCell = (4, 4), CellsPerBlock = (2, 2), BlockNorm = HogBlockNorm.L1Sqrt, TransformSqrt = true },
        ["O8_Cell7x7_Block1x1_L2"] = new() { Orientations = 8, PixelsPerCell = (7, 7), CellsPerBlock = (1, 1), BlockNorm = HogBlockNorm.L2 },
        ["O12_Cell6x5_Block2x3_L2Hys_Sqrt"] = new() { Orientations = 12, PixelsPerCell = (6, 5), CellsPerBlock = (2, 3), BlockNorm = HogBlockNorm.L2Hys, TransformSqrt = true },
    };

    private static readonly Lazy<LabeledImages> MnistTestSet = new(() => LabeledImages.LoadMnist(train: false));

    public static IEnumerable<object[]> ReferenceNames => HogReference.ByName.Keys.Select(name => new object[] { name });

    /// <summary>An image of hog_reference.py by name: DigitN (0-255), DigitNScaled (/255) or Synthetic.</summary>
    private static (float[] Pixels, int Height, int Width) Image(string name)
    {
        if (name == "Synthetic") return Synthetic(30, 37);
        bool scaled = name.EndsWith("Scaled", StringComparison.Ordinal);
        int index = int.Parse(name["Digit".Length..(scaled ? ^"Scaled".Length : ^0)]);
        var digits = MnistTestSet.Value;
        var pixels = Pixels(digits, index, 1);
        if (scaled)
            for (int i = 0; i < pixels.Length; i++) pixels[i] /= 255f;
        return (pixels, digits.Height, digits.Width);
    }

    /// <summary>Pixel (i, j) = float32(255 (0.5 + 0.5 sin(0.37 i + 0.11 j))), computed in double as the script does.</summary>
    private static (float[] Pixels, int Height, int Width) Synthetic(int height, int width)
    {
        var pixels = new float[height * width];
        for (int i = 0; i < height; i++)
            for (int j = 0; j < width; j++)
                pixels[i * width + j] = (float)(255 * (0.5 + 0.5 * Math.Sin(0.37 * i + 0.11 * j)));
        return (pixels, height, width);
    }

    /// <summary>Images [start, start + count) of a set as 0-255 floats.</summary>
    private static float[] Pixels(LabeledImages images, int start, int count)
    {
        int size = images.Height * images.Width;
        return images.Pixels.AsSpan(start * size, count * size).ToArray().Select(b => (float)b).ToArray();
    }

    [TestMethod]
    [DynamicData(nameof(ReferenceNames))]
    public void MatchesSkimage(string referenceName)
    {
        var split = referenceName.IndexOf('_');
        var (pixels, height, width) = Image(referenceName[..split]);
        var descriptor = new HogDescriptor(Cases[referenceName[(split + 1)..]], height, width);
        var features = new float[descriptor.FeatureLength];
        descriptor.Compute(pixels, features);

        var expected = HogReference.ByName[referenceName];
        Assert.HasCount(expected.Length, features, $"{referenceName}: feature count");
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-5 * Math.Abs(expected[i]) + 1e-6;
            if (!(Math.Abs(features[i] - expected[i]) <= tolerance))
                Assert.Fail($"{referenceName}: feature {i} is {features[i]:R}, skimage gives {expected[i]:R} (tolerance {tolerance:G3}).");
        }
    }

    [TestMethod]
    public void SeedExperimentOptionsGive392FeaturesOn28x28()
    {
        var options = Cases["O8_Cell4x4_Block1x1_L2Hys"];
        Assert.AreEqual(392, options.FeatureLength(28, 28));
        Assert.HasCount(392, HogReference.Digit0_O8_Cell4x4_Block1x1_L2Hys);
    }

    [TestMethod]
    public void DefaultsAreSkimages()
    {
        var options = new HogOptions();
        Assert.AreEqual(9, options.Orientations);
        Assert.AreEqual((8, 8), options.PixelsPerCell);
        Assert.AreEqual((3, 3), options.CellsPerBlock);
        Assert.AreEqual(HogBlockNorm.L2Hys, options.BlockNorm);
        Assert.IsFalse(options.TransformSqrt);
    }

    [TestMethod]
    [DataRow(0, 4, 4, 1, 1, 28, 28, "Orientations")]
    [DataRow(8, 0, 4, 1, 1, 28, 28, "PixelsPerCell")]
    [DataRow(8, 4, -1, 1, 1, 28, 28, "PixelsPerCell")]
    [DataRow(8, 4, 4, 0, 1, 28, 28, "CellsPerBlock")]
    [DataRow(8, 4, 4, 1, -2, 28, 28, "CellsPerBlock")]
    [DataRow(8, 4, 4, 1, 1, 0, 28, "imageHeight")]
    [DataRow(8, 4, 4, 1, 1, 28, -5, "imageWidth")]
    public void NonPositiveSizesAreOutOfRange(int orientations, int cellHeight, int cellWidth, int blockHeight, int blockWidth, int height, int width, string parameter)
    {
        var options = new HogOptions { Orientations = orientations, PixelsPerCell = (cellHeight, cellWidth), CellsPerBlock = (blockHeight, blockWidth) };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.Validate(height, width));
        Assert.AreEqual(parameter, e.ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HogDescriptor(options, height, width));
    }

    [TestMethod]
    public void UnknownBlockNormIsOutOfRange()
    {
        var options = new HogOptions { BlockNorm = (HogBlockNorm)7 };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.Validate(28, 28));
        Assert.AreEqual("BlockNorm", e.ParamName);
    }

    [TestMethod]
    [DataRow(8, 8, 4, 3, 28, 28, "imageHeight")] // 3 cell rows, blocks of 4
    [DataRow(8, 8, 3, 3, 28, 23, "imageWidth")] // 2 cell columns, blocks of 3
    [DataRow(8, 8, 1, 1, 7, 28, "imageHeight")] // smaller than one cell
    [DataRow(6, 5, 2, 3, 30, 14, "imageWidth")]
    public void ImageSmallerThanOneBlockIsRejected(int cellHeight, int cellWidth, int blockHeight, int blockWidth, int height, int width, string parameter)
    {
        var options = new HogOptions { PixelsPerCell = (cellHeight, cellWidth), CellsPerBlock = (blockHeight, blockWidth) };
        var e = Assert.ThrowsExactly<ArgumentException>(() => options.Validate(height, width));
        Assert.AreEqual(parameter, e.ParamName);
        Assert.ThrowsExactly<ArgumentException>(() => options.FeatureLength(height, width));
    }

    [TestMethod]
    public void ComputeRejectsWrongSpanLengths()
    {
        var descriptor = new HogDescriptor(new HogOptions(), 28, 28);
        var e = Assert.ThrowsExactly<ArgumentException>(() => descriptor.Compute(new float[783], new float[descriptor.FeatureLength]));
        Assert.AreEqual("image", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentException>(() => descriptor.Compute(new float[784], new float[descriptor.FeatureLength + 1]));
        Assert.AreEqual("features", e.ParamName);
    }

    [TestMethod]
    public void TransformSqrtRejectsNegativePixels()
    {
        var descriptor = new HogDescriptor(new HogOptions { TransformSqrt = true }, 28, 28);
        var image = new float[784];
        image[300] = -1f;
        var e = Assert.ThrowsExactly<ArgumentException>(() => descriptor.Compute(image, new float[descriptor.FeatureLength]));
        Assert.AreEqual("image", e.ParamName);
        StringAssert.Contains(e.Message, "pixel 300");
    }

    [TestMethod]
    [DataRow("O8_Cell4x4_Block1x1_L2Hys")]
    [DataRow("O12_Cell6x5_Block2x3_L2Hys_Sqrt")]
    public void BatchEqualsOneImageAtATime(string hogCase)
    {
        const int count = 300;
        var images = MnistTestSet.Value;
        var pixels = Pixels(images, 0, count);
        int size = images.Height * images.Width;
        var descriptor = new HogDescriptor(Cases[hogCase], images.Height, images.Width);
        int length = descriptor.FeatureLength;
        var single = new float[count * length];
        for (int i = 0; i < count; i++) descriptor.Compute(pixels.AsSpan(i * size, size), single.AsSpan(i * length, length));

        foreach (int threads in new[] { 1, 4, -1 })
        {
            var batch = new float[count * length];
            descriptor.ComputeBatch(pixels, batch, threads);
            CollectionAssert.AreEqual(single, batch, $"{threads} threads");
        }
    }

    [TestMethod]
    public void ComputeAllocatesNothing()
    {
        var options = Cases["O16_Cell4x4_Block2x2_L1Sqrt_Sqrt"];
        var (pixels, height, width) = Image("Digit0");
        var descriptor = new HogDescriptor(options, height, width);
        var features = new float[descriptor.FeatureLength];
        descriptor.Compute(pixels, features);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) descriptor.Compute(pixels, features);
        Assert.AreEqual(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
