using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;
using MnistMl.Data;
using MnistMl.Features;
using MnistMl.Transforms;

namespace MnistMl.Tests;

/// <summary>
/// HOG features against skimage.feature.hog 0.19 (values in <see cref="HogReference"/>, from tests/reference/hog_reference.py).
/// skimage was handed every image as float32, the dtype the descriptor receives: it then takes float32 central
/// differences and casts them to float64 for the orientation, the bin edges and the magnitudes, as the descriptor does.
/// With 8, 12 and 16 orientations (bin edges at 45° and 135°) many gradients of real digits lie exactly on an edge,
/// so the references also pin down which bin such a gradient goes to, for each float32 rounding of scaled pixels.
/// </summary>
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
        // hog_reference.py's EDGE_CASES: bin edges at 45° and 135°, on MNIST digits only.
        ["O8_Cell6x6_Block2x2_L1"] = new() { Orientations = 8, PixelsPerCell = (6, 6), CellsPerBlock = (2, 2), BlockNorm = HogBlockNorm.L1 },
        ["O8_Cell7x7_Block2x2_L1Sqrt_Sqrt"] = new() { Orientations = 8, PixelsPerCell = (7, 7), CellsPerBlock = (2, 2), BlockNorm = HogBlockNorm.L1Sqrt, TransformSqrt = true },
        ["O8_Cell4x4_Block1x1_L2Hys_Sqrt"] = new() { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1), BlockNorm = HogBlockNorm.L2Hys, TransformSqrt = true },
        ["O12_Cell7x7_Block1x1_L2"] = new() { Orientations = 12, PixelsPerCell = (7, 7), CellsPerBlock = (1, 1), BlockNorm = HogBlockNorm.L2 },
        ["O12_Cell7x7_Block2x2_L1Sqrt"] = new() { Orientations = 12, PixelsPerCell = (7, 7), CellsPerBlock = (2, 2), BlockNorm = HogBlockNorm.L1Sqrt },
        ["O12_Cell4x4_Block1x1_L1_Sqrt"] = new() { Orientations = 12, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1), BlockNorm = HogBlockNorm.L1, TransformSqrt = true },
        ["O16_Cell7x7_Block2x2_L2Hys"] = new() { Orientations = 16, PixelsPerCell = (7, 7), CellsPerBlock = (2, 2), BlockNorm = HogBlockNorm.L2Hys },
        ["O16_Cell6x6_Block1x1_L1"] = new() { Orientations = 16, PixelsPerCell = (6, 6), CellsPerBlock = (1, 1), BlockNorm = HogBlockNorm.L1 },
        ["O16_Cell7x7_Block1x1_L2_Sqrt"] = new() { Orientations = 16, PixelsPerCell = (7, 7), CellsPerBlock = (1, 1), BlockNorm = HogBlockNorm.L2, TransformSqrt = true },
    };

    /// <summary>
    /// How close a feature must be to skimage's: 1e-6 + 1e-5 |expected|, at most 1.1e-5 since features lie in [0, 1].
    /// The descriptor repeats skimage's arithmetic step by step, so what is left is float rounding: numpy sums a block's
    /// norm pairwise, the descriptor in order, and the features are rounded to float (at most 3e-8, measured on the first
    /// 20 test digits for 128 settings of 8, 9, 12 and 16 orientations and on the first 2,000 for 24 of them). A gradient
    /// put into the bin next to skimage's moves its block's features by orders of magnitude more (the largest change per
    /// setting was 4e-3 to 0.58 on the first 20 test digits when skimage was handed float64 pixels, or the other float32
    /// rounding of the same digits), so the tolerance tells rounding from a wrong bin.
    /// </summary>
    private static double Tolerance(double expected) => 1e-5 * Math.Abs(expected) + 1e-6;

    private const int Height = 28, Width = 28;

    /// <summary>The first 300 MNIST test digits as 0-255 floats, one array per digit (read once).</summary>
    private static readonly Lazy<float[][]> FirstDigits = new(() => TestData.Vectors(TestData.MnistTestRows(300), "Image"));

    public static IEnumerable<object[]> ReferenceNames => HogReference.ByName.Keys.Select(name => new object[] { name });

    /// <summary>The float32 factor 1/255 of the DigitNMultiplied images: a multiplication by it is not what ScalePixels does.</summary>
    private const float MultipliedScale = (float)(1.0 / 255);

    /// <summary>
    /// An image of hog_reference.py by name: DigitN (0-255), DigitNScaled (float32 ÷ 255, numpy's astype(float32) / 255,
    /// what ScalePixels gives), DigitNMultiplied (float32 × float32(1/255), the other float32 rounding) or Synthetic.
    /// </summary>
    private static (float[] Pixels, int Height, int Width) Image(string name)
    {
        if (name == "Synthetic") return Synthetic(30, 37);
        string suffix = name.EndsWith("Scaled", StringComparison.Ordinal) ? "Scaled" : name.EndsWith("Multiplied", StringComparison.Ordinal) ? "Multiplied" : "";
        int index = int.Parse(name["Digit".Length..^suffix.Length]);
        var pixels = Pixels(index, 1);
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = suffix switch { "Scaled" => pixels[i] / 255f, "Multiplied" => pixels[i] * MultipliedScale, _ => pixels[i] };
        return (pixels, Height, Width);
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

    /// <summary>MNIST test digits [start, start + count) as 0-255 floats, one after another.</summary>
    private static float[] Pixels(int start, int count) => FirstDigits.Value[start..(start + count)].SelectMany(d => d).ToArray();

    [TestMethod]
    [DynamicData(nameof(ReferenceNames))]
    public void MatchesSkimage(string referenceName)
    {
        var split = referenceName.IndexOf('_');
        var (pixels, height, width) = Image(referenceName[..split]);
        var descriptor = new HogDescriptor(Cases[referenceName[(split + 1)..]], height, width);
        var features = new float[descriptor.FeatureLength];
        descriptor.Compute(pixels, features);

        AssertNear(HogReference.ByName[referenceName], features, referenceName);
    }

    private static void AssertNear(double[] expected, float[] features, string what)
    {
        Assert.HasCount(expected.Length, features, $"{what}: feature count");
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = Tolerance(expected[i]);
            if (!(Math.Abs(features[i] - expected[i]) <= tolerance))
                Assert.Fail($"{what}: feature {i} is {features[i]:R}, skimage gives {expected[i]:R} (tolerance {tolerance:G3}).");
        }
    }

    /// <summary>The cases with references for ScalePixels' pixels (DigitNScaled_Case), by the case part of the names.</summary>
    public static IEnumerable<object[]> ScaledCases => HogReference.ByName.Keys
        .Where(name => name.StartsWith("Digit0Scaled_", StringComparison.Ordinal))
        .Select(name => new object[] { name["Digit0Scaled_".Length..] });

    /// <summary>The HOG column of <paramref name="count"/> MNIST test digits through ScalePixels then ExtractHogFeatures.</summary>
    private static (MLContext Ml, IDataView Digits, ITransformer Model) ScaledHog(HogOptions options, int count)
    {
        var ml = new MLContext(seed: 1);
        var digits = ml.Data.TakeRows(ml.Data.LoadMnist(DataSplit.Test), count);
        var model = ml.Transforms.ScalePixels("Image").Append(ml.Transforms.ExtractHogFeatures("Hog", "Image", options)).Fit(digits);
        return (ml, digits, model);
    }

    /// <summary>Compares the features of each digit d that has a reference Digit{d}{variant}_{case}; returns how many did.</summary>
    private static int AssertDigitsNear(float[][] features, string variant, string hogCase, string how)
    {
        int checkedDigits = 0;
        for (int d = 0; d < features.Length && HogReference.ByName.TryGetValue($"Digit{d}{variant}_{hogCase}", out var expected); d++, checkedDigits++)
            AssertNear(expected, features[d], $"Digit{d}{variant}_{hogCase} {how}");
        return checkedDigits;
    }

    /// <summary>
    /// The toolkit's own path, ScalePixels then ExtractHogFeatures on MNIST read by LoadMnist, gives skimage's features
    /// of the pixels ScalePixels makes: ScalePixels divides by 255 in float32, exactly numpy's astype(float32) / 255
    /// (DigitNScaled), and the transform hands the descriptor exactly those float32 pixels.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(ScaledCases))]
    public void ScalePixelsThenHogTransformMatchesSkimage(string hogCase)
    {
        var (_, digits, model) = ScaledHog(Cases[hogCase], 10);
        var features = TestData.Vectors(model.Transform(digits), "Hog");
        Assert.HasCount(10, features);
        int checkedDigits = AssertDigitsNear(features, "Scaled", hogCase, "through the transforms");
        Assert.IsGreaterThanOrEqualTo(3, checkedDigits, "digits with Scaled references");
    }

    /// <summary>
    /// The references tell ScalePixels' division from a multiplication by float32(1/255): seed 003's features of the
    /// transformed Digit2 are far (0.08) from skimage's features of the multiplied pixels (DigitNMultiplied), so the
    /// test above would notice a ScalePixels that multiplied.
    /// </summary>
    [TestMethod]
    public void ScalePixelsIsADivisionNotAMultiplicationByTheFloatFactor()
    {
        const string hogCase = "O8_Cell4x4_Block1x1_L2Hys";
        var (_, digits, model) = ScaledHog(Cases[hogCase], 6);
        var features = TestData.Vectors(model.Transform(digits), "Hog");
        var multiplied = HogReference.ByName[$"Digit2Multiplied_{hogCase}"];
        double largest = multiplied.Select((e, i) => Math.Abs(features[2][i] - e)).Max();
        Assert.IsGreaterThan(0.01, largest, "Digit2's features of ScalePixels' pixels vs skimage's of the multiplied pixels");
        AssertNear(HogReference.ByName[$"Digit2Scaled_{hogCase}"], features[2], $"Digit2Scaled_{hogCase} through the transforms");
    }

    /// <summary>
    /// ScalePixels then ExtractHogFeatures saved with ml.Model.Save and loaded into a fresh MLContext: the file holds
    /// each transform as ML.NET's ApplyOnnxModel on its ONNX graph (a Div by 255, then the HOG nodes), so the loaded
    /// model computes the features in ONNX Runtime. On the first test digits it gives skimage's features of ScalePixels'
    /// pixels (DigitNScaled). The graph decides bins without an arc tangent and sums in float in its own order, yet
    /// stays within the descriptor's tolerance (1.2e-7 measured for seed 003's HOG through the legacy ONNX export).
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(ScaledCases))]
    public void SavedModelHogRunsAsOnnxAndMatchesSkimage(string hogCase)
    {
        var (ml, digits, model) = ScaledHog(Cases[hogCase], 6);
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "hog.zip");
        ml.Model.Save(model, digits.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        Assert.IsTrue(Transformers(loaded).Any(t => t is OnnxTransformer), "the loaded model runs an ONNX graph");
        Assert.IsFalse(Transformers(loaded).Any(t => t is ImageVectorTransformer), "the loaded model holds no MnistMl transformer");
        var features = TestData.Vectors(loaded.Transform(digits), "Hog");
        Assert.HasCount(6, features);
        Assert.HasCount(Cases[hogCase].FeatureLength(Height, Width), features[0]);
        int checkedDigits = AssertDigitsNear(features, "Scaled", hogCase, "through the saved model's ONNX graph");
        Assert.IsGreaterThanOrEqualTo(3, checkedDigits, "digits with Scaled references");
    }

    /// <summary>The transformers of a (nested) chain.</summary>
    private static IEnumerable<ITransformer> Transformers(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Transformers) : [transformer];

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
        var pixels = Pixels(0, count);
        int size = Height * Width;
        var descriptor = new HogDescriptor(Cases[hogCase], Height, Width);
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
