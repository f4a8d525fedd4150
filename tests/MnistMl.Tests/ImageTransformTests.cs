using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Transforms;

namespace MnistMl.Tests;

/// <summary>
/// MnistMl's image transforms as ML.NET estimators: types, values (references from tests/reference/data_transforms.py,
/// numpy/torchvision), Append chains with ML.NET's own estimators, PredictionEngine, and ml.Model.Save/Load.
/// </summary>
[TestClass]
public sealed class ImageTransformTests
{
    private readonly MLContext ml = new(seed: 1);

    /// <summary>One 5×7 image, pixel i = float32(255 (0.5 + 0.5 sin(0.37 i + 0.11))), as data_transforms.py makes it.</summary>
    private IDataView OneImage() => ml.Data.LoadImages(
        Enumerable.Range(0, 35).Select(i => (float)(255 * (0.5 + 0.5 * Math.Sin(0.37 * i + 0.11)))).ToArray(), [0], (1, 5, 7));

    [TestMethod]
    public void LoadMnistGivesKeyLabelsWithNamesAndImagesWithDimensions()
    {
        var data = TestData.MnistTestSet;
        Assert.AreEqual(10_000L, data.GetRowCount());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), data.Schema["Image"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 10), data.Schema["Label"].Type);
        VBuffer<ReadOnlyMemory<char>> names = default;
        data.Schema["Label"].GetKeyValues(ref names);
        CollectionAssert.AreEqual(MnistDataCatalog.MnistClassNames.ToArray(), names.DenseValues().Select(n => n.ToString()).ToArray());
        var first = TestData.MnistTestRows(3);
        // The first test digits of MNIST are 7, 2, 1 (raw keys are 1-based).
        CollectionAssert.AreEqual(new uint[] { 8, 3, 2 }, TestData.Keys(first, "Label"));
        var pixels = TestData.Vectors(first, "Image")[0];
        Assert.AreEqual(784, pixels.Length);
        Assert.AreEqual(255f, pixels.Max());
        Assert.IsTrue(pixels.All(p => p == MathF.Round(p) && p >= 0));
    }

    [TestMethod]
    public void ScalePixelsGivesNumpysFloat32Division()
    {
        var data = ml.Data.LoadImages(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), [0], (1, 16, 16));
        var scaled = ml.Transforms.ScalePixels("Image").Fit(data).Transform(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 16, 16), scaled.Schema["Image"].Type);
        var pixels = TestData.Vectors(scaled, "Image")[0];
        // numpy: np.arange(256, dtype=np.float32) / 255 rounds each quotient once to float32, as ScalePixels does.
        for (int i = 0; i < 256; i++) Assert.AreEqual((float)(i / 255.0), pixels[i], $"pixel {i}");
    }

    [TestMethod]
    public void PadTwentyEightToThirtyTwo()
    {
        var mnist = TestData.MnistTestRows(3);
        var padded = ml.Transforms.PadImages("Padded", "Image", padding: 2).Fit(mnist).Transform(mnist);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 32, 32), padded.Schema["Padded"].Type);
        var images = TestData.Vectors(padded, "Image");
        var pads = TestData.Vectors(padded, "Padded");
        for (int r = 0; r < 3; r++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                {
                    bool inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                    Assert.AreEqual(inside ? images[r][(y - 2) * 28 + x - 2] : 0f, pads[r][y * 32 + x]);
                }
    }

    /// <summary>A 1×28×28 image, pixel (h, w) = float32(100 (sin(0.37h + 0.11w) + 1)).</summary>
    private IDataView SineImage() => ml.Data.LoadImages(
        Enumerable.Range(0, 784).Select(i => (float)(100 * (Math.Sin(0.37 * (i / 28) + 0.11 * (i % 28)) + 1))).ToArray(), [0], (1, 28, 28));

    [TestMethod]
    [DataRow(64, 64, new[] { 0, 341, 682, 1023, 1364, 1705, 2046, 2387, 2728, 3069, 3410, 3751 },
        new[] { 100f, 198.718201f, 64.7325668f, 17.5556793f, 12.1720781f, 76.7003021f, 198.536621f, 146.443863f, 173.734741f, 18.0381966f, 111.24984f, 1.57623303f }, 400577.5675)]
    [DataRow(32, 48, new[] { 0, 128, 256, 384, 512, 640, 768, 896, 1024, 1152, 1280, 1408 },
        new[] { 100f, 145.966324f, 150.873779f, 154.107697f, 15.2645235f, 12.488883f, 10.0940313f, 198.37056f, 198.191086f, 199.036514f, 17.1728401f, 20.2541981f }, 150240.5969)]
    [DataRow(14, 9, new[] { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110 },
        new[] { 129.141861f, 196.490067f, 161.429871f, 61.2203102f, 2.18791938f, 46.955265f, 148.036041f, 198.18576f, 144.140274f, 197.116364f, 158.766571f, 58.1163597f }, 12321.82772)]
    public void ResizeImagesMatchesPyTorchsBilinearInterpolation(int height, int width, int[] positions, float[] expected, double expectedSum)
    {
        // PyTorch 1.13: F.interpolate(x[None], size=(height, width), mode="bilinear", align_corners=False) of SineImage,
        // the values at those flat positions and the sum of all.
        var data = SineImage();
        var resized = ml.Transforms.ResizeImages("Resized", height, width, "Image").Fit(data).Transform(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, height, width), resized.Schema["Resized"].Type);
        var pixels = TestData.Vectors(resized, "Resized")[0];
        TestData.Near(expected, positions.Select(p => pixels[p]).ToArray(), rtol: 1e-5, atol: 1e-4, what: $"{height}×{width}");
        Assert.AreEqual(expectedSum, pixels.Sum(p => (double)p), 1e-2);

        // Saved as ONNX Resize (linear, pytorch_half_pixel) inside an ML.NET model file: the same values.
        var model = ml.Transforms.ResizeImages("Resized", height, width, "Image").Fit(data);
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "resize.zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        TestData.Near(pixels, TestData.Vectors(loaded.Transform(data), "Resized")[0], rtol: 1e-5, atol: 1e-4, what: "through ONNX Runtime");
    }

    [TestMethod]
    public void GrayToRgbThenImageNetNormalizationMatchesTorchvision()
    {
        var image = OneImage();
        var pipeline = ml.Transforms.ConvertGrayscaleToRgb("Image")
            .Append(ml.Transforms.ScalePixels("Image"))
            .Append(ml.Transforms.NormalizeImageNet("Image"));
        var output = pipeline.Fit(image).Transform(image);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3, 5, 7), output.Schema["Image"].Type);
        var pixels = TestData.Vectors(output, "Image")[0];
        // data_transforms.py: torchvision Normalize(ImageNet) of the image repeated to 3 channels and divided by 255.
        TestData.Near([0.3051927089691162f, 1.0737537145614624f, 1.7058523893356323f], pixels[..3]);
        TestData.Near([0.44146937131881714f, 1.2271857261657715f, 1.8733937740325928f], pixels[35..38]);
        TestData.Near([0.6617295742034912f, 1.4439539909362793f, 2.087290048599243f], pixels[70..73]);
        TestData.Near([0.6918106079101562f], pixels[104..]);
    }

    [TestMethod]
    public void FlattenAndReshapeBetweenVectorAndImage()
    {
        var mnist = TestData.MnistTestRows(2);
        var flat = ml.Transforms.Flatten("Features", "Image").Append(ml.Transforms.Reshape("Back", [1, 28, 28], "Features")).Fit(mnist).Transform(mnist);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 784), flat.Schema["Features"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), flat.Schema["Back"].Type);
        CollectionAssert.AreEqual(TestData.Vectors(flat, "Image")[1], TestData.Vectors(flat, "Back")[1]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Reshape("X", [10, 10], "Features").Fit(flat));
        StringAssert.Contains(e.Message, "784 values per row");
    }

    /// <summary>ML.NET's SchemaShape.Create(schema) is internal; chains call it before fitting, the test calls it by reflection.</summary>
    internal static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.Invoke(null, [schema])!;

    [TestMethod]
    public void EstimatorsReportTheirOutputBeforeFittingAndNameBadColumns()
    {
        var mnist = TestData.MnistTestRows(2);
        var chain = ml.Transforms.ScalePixels("Image")
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image", new Features.HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }))
            .Append(ml.Transforms.NormalizeMinMax("Hog"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Hog"));
        var shape = chain.GetOutputSchema(ShapeOf(mnist.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == "Hog" && c.Kind == SchemaShape.Column.VectorKind.Vector));
        Assert.IsTrue(shape.Any(c => c.Name == "PredictedLabel" && c.IsKey));
        var missing = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.ScalePixels("Pixels").Fit(mnist));
        StringAssert.Contains(missing.Message, "no column 'Pixels'");
        StringAssert.Contains(missing.Message, "Image, Label");
        var notImage = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Flatten("F", "Image").Append(ml.Transforms.PadImages("F")).Fit(mnist));
        StringAssert.Contains(notImage.Message, "images [channels, height, width]");
        var key = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.ScalePixels("Label").Fit(mnist));
        StringAssert.Contains(key.Message, "column 'Label' is Key");
    }

    [TestMethod]
    public void SavedTransformsLoadAsMlNetsOwnAndComputeTheSame()
    {
        var mnist = TestData.MnistTestRows(20);
        var model = ml.Transforms.ScalePixels("Image")
            .Append(ml.Transforms.PadImages("Padded", "Image", padding: 2))
            .Append(ml.Transforms.ConvertGrayscaleToRgb("Rgb", "Padded"))
            .Append(ml.Transforms.NormalizeImageNet("Rgb"))
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image", new Features.HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }))
            .Append(ml.Transforms.Flatten("Flat", "Image"))
            .Fit(mnist);
        var before = model.Transform(mnist);
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "transforms.zip");
        ml.Model.Save(model, mnist.Schema, path);
        var loaded = new MLContext().Model.Load(path, out var schema);
        Assert.AreEqual(mnist.Schema["Image"].Type, schema["Image"].Type);
        var after = loaded.Transform(mnist);
        foreach (var column in new[] { "Image", "Padded", "Rgb", "Hog", "Flat" })
        {
            Assert.AreEqual(before.Schema[column].Type, after.Schema[column].Type, column);
            var expected = TestData.Vectors(before, column);
            var actual = TestData.Vectors(after, column);
            for (int r = 0; r < expected.Length; r++) TestData.Near(expected[r], actual[r], 1e-5, 1e-5, $"{column} row {r}");
        }
    }

    private sealed class DigitInput
    {
        [VectorType(1, 28, 28)]
        public float[] Image { get; set; } = [];
    }

    private sealed class HogOutput
    {
        [VectorType(392)]
        public float[] Hog { get; set; } = [];
    }

    [TestMethod]
    public void PredictionEngineRunsTheTransformsRowByRow()
    {
        var mnist = TestData.MnistTestRows(5);
        var model = ml.Transforms.ScalePixels("Image")
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image", new Features.HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }))
            .Fit(mnist);
        var expected = TestData.Vectors(model.Transform(mnist), "Hog");
        var engine = ml.Model.CreatePredictionEngine<DigitInput, HogOutput>(model);
        var images = TestData.Vectors(mnist, "Image");
        for (int r = 0; r < images.Length; r++)
            CollectionAssert.AreEqual(expected[r], engine.Predict(new DigitInput { Image = images[r] }).Hog, $"row {r}");
    }
}
