using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using SkiaSharp;

namespace MnistMl.Tests;

[TestClass]
public sealed class ImageFolderLoaderTests
{
    private static readonly MLContext Ml = new(seed: 1);

    /// <summary>Writes a lossless, opaque PNG whose pixel (x, y) is <paramref name="color"/>(x, y).</summary>
    private static string Png(string folder, string name, int width, int height, Func<int, int, SKColor> color)
    {
        Directory.CreateDirectory(folder);
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, color(x, y));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    private static SKColor Gray(byte v) => new(v, v, v);

    private static byte GrayValue(int x, int y, int seed) => (byte)(seed + 40 * y + 10 * x);

    /// <summary>cat/a.png, cat/b.png and dog/c.png, 3 wide and 2 high, gray values seed + 40y + 10x.</summary>
    private static void GrayFolder(string root)
    {
        Png(Path.Combine(root, "dog"), "c.png", 3, 2, (x, y) => Gray(GrayValue(x, y, 100)));
        Png(Path.Combine(root, "cat"), "b.png", 3, 2, (x, y) => Gray(GrayValue(x, y, 50)));
        Png(Path.Combine(root, "cat"), "a.png", 3, 2, (x, y) => Gray(GrayValue(x, y, 0)));
        File.WriteAllText(Path.Combine(root, "cat", "notes.txt"), "not an image");
    }

    private static float[] Expected(int seed) =>
        Enumerable.Range(0, 6).Select(i => (float)GrayValue(i % 3, i / 3, seed)).ToArray();

    private sealed class GrayRow
    {
        public string ImagePath { get; set; } = "";
        public uint Label { get; set; }
        [VectorType(1, 2, 3)] public float[] Image { get; set; } = [];
    }

    private sealed class RgbRow
    {
        public uint Label { get; set; }
        [VectorType(3, 2, 3)] public float[] Image { get; set; } = [];
    }

    [TestMethod]
    public void GrayscaleSchemaClassesAndValues()
    {
        using var temp = new TempFolder();
        GrayFolder(temp.Path);
        var view = Ml.Data.LoadImageFolder(temp.Path);

        CollectionAssert.AreEqual(new[] { "ImagePath", "Label", "Image" }, view.Schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 2, 3), view.Schema["Image"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 2), view.Schema["Label"].Type);
        Assert.AreEqual(TextDataViewType.Instance, view.Schema["ImagePath"].Type);
        VBuffer<ReadOnlyMemory<char>> names = default;
        view.Schema["Label"].GetKeyValues(ref names);
        CollectionAssert.AreEqual(new[] { "cat", "dog" }, names.DenseValues().Select(n => n.ToString()).ToArray());

        var rows = Ml.Data.CreateEnumerable<GrayRow>(view, false).ToList();
        CollectionAssert.AreEqual(new[] { "a.png", "b.png", "c.png" }, rows.Select(r => Path.GetFileName(r.ImagePath)).ToArray());
        CollectionAssert.AreEqual(new uint[] { 1, 1, 2 }, rows.Select(r => r.Label).ToArray());
        CollectionAssert.AreEqual(Expected(0), rows[0].Image);
        CollectionAssert.AreEqual(Expected(50), rows[1].Image);
        CollectionAssert.AreEqual(Expected(100), rows[2].Image);
    }

    [TestMethod]
    public void RgbPlanesAreRedGreenBlue()
    {
        using var temp = new TempFolder();
        Png(Path.Combine(temp.Path, "only"), "x.png", 3, 2, (x, y) => new SKColor((byte)(10 * x + y), (byte)(100 + x), (byte)(200 + y)));
        var view = Ml.Data.LoadImageFolder(temp.Path, ImageColorMode.Rgb);

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3, 2, 3), view.Schema["Image"].Type);
        var image = Ml.Data.CreateEnumerable<RgbRow>(view, false).Single().Image;
        float[] red = [0, 10, 20, 1, 11, 21], green = [100, 101, 102, 100, 101, 102], blue = [200, 200, 200, 201, 201, 201];
        CollectionAssert.AreEqual(red.Concat(green).Concat(blue).ToArray(), image);
    }

    [TestMethod]
    public void GrayscaleOfPureColorsIsImageAnalyticsWeights()
    {
        using var temp = new TempFolder();
        Png(Path.Combine(temp.Path, "c"), "rgb.png", 3, 1, (x, _) => x switch { 0 => new SKColor(255, 0, 0), 1 => new SKColor(0, 255, 0), _ => new SKColor(0, 0, 255) });
        var view = Ml.Data.LoadImageFolder(temp.Path);
        using var cursor = view.GetRowCursor(view.Schema);
        var get = cursor.GetGetter<VBuffer<float>>(view.Schema["Image"]);
        VBuffer<float> image = default;
        Assert.IsTrue(cursor.MoveNext());
        get(ref image);
        Console.WriteLine("gray of red, green, blue: " + string.Join(", ", image.DenseValues()));
        // 0.3, 0.59 and 0.11 of 255 are 76.5, 150.45 and 28.05: SkiaSharp truncates.
        CollectionAssert.AreEqual(new float[] { 76, 150, 28 }, image.DenseValues().ToArray());
    }

    [TestMethod]
    public void TargetSizeResizesEveryImage()
    {
        using var temp = new TempFolder();
        Png(Path.Combine(temp.Path, "a"), "big.png", 8, 6, (_, _) => Gray(90));
        Png(Path.Combine(temp.Path, "b"), "small.png", 2, 2, (_, _) => Gray(200));
        var view = Ml.Data.LoadImageFolder(temp.Path, imageHeight: 2, imageWidth: 3);

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 2, 3), view.Schema["Image"].Type);
        var rows = Ml.Data.CreateEnumerable<GrayRow>(view, false).ToList();
        CollectionAssert.AreEqual(Enumerable.Repeat(90f, 6).ToArray(), rows[0].Image);
        CollectionAssert.AreEqual(Enumerable.Repeat(200f, 6).ToArray(), rows[1].Image);
    }

    [TestMethod]
    public void WorksWithNormalizeAndShuffle()
    {
        using var temp = new TempFolder();
        GrayFolder(temp.Path);
        var view = Ml.Data.LoadImageFolder(temp.Path);

        var normalized = Ml.Transforms.NormalizeMinMax("Image").Fit(view).Transform(view);
        var rows = Ml.Data.CreateEnumerable<GrayRow>(normalized, false).ToList();
        Assert.AreEqual(0f, rows[0].Image[0]);
        Assert.AreEqual(1f, rows[2].Image[0]);

        var shuffled = Ml.Data.CreateEnumerable<GrayRow>(Ml.Data.ShuffleRows(view, seed: 5), false).ToList();
        CollectionAssert.AreEquivalent(new[] { 0f, 50f, 100f }, shuffled.Select(r => r.Image[0]).ToArray());
    }

    [TestMethod]
    public void SizeMismatchNamesBothFiles()
    {
        using var temp = new TempFolder();
        var first = Png(Path.Combine(temp.Path, "a"), "first.png", 3, 2, (_, _) => Gray(1));
        var odd = Png(Path.Combine(temp.Path, "b"), "odd.png", 4, 2, (_, _) => Gray(1));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadImageFolder(temp.Path));
        StringAssert.Contains(e.Message, $"'{odd}' is 4×2, but '{first}' is 3×2");
        StringAssert.Contains(e.Message, "give a target size");
    }

    [TestMethod]
    public void CorruptImageIsNamed()
    {
        using var temp = new TempFolder();
        Png(Path.Combine(temp.Path, "a"), "good.png", 3, 2, (_, _) => Gray(1));
        var fake = Path.Combine(temp.Path, "a", "random.png");
        File.WriteAllBytes(fake, Enumerable.Range(0, 64).Select(i => (byte)(i * 37 + 11)).ToArray());
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadImageFolder(temp.Path));
        StringAssert.Contains(e.Message, $"'{fake}' could not be decoded");
    }

    [TestMethod]
    public void TruncatedImageIsNamedAtLoad()
    {
        using var temp = new TempFolder();
        var path = Png(Path.Combine(temp.Path, "a"), "cut.png", 16, 16, (x, y) => Gray((byte)(x * 16 + y * 7)));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadImageFolder(temp.Path));
        StringAssert.Contains(e.Message, $"'{path}' could not be decoded: SkiaSharp says 'IncompleteInput'");
    }

    [TestMethod]
    public void DecodeFailureWhileReadingNamesTheFile()
    {
        using var temp = new TempFolder();
        var path = Png(Path.Combine(temp.Path, "a"), "gone.png", 16, 16, (_, _) => Gray(3));
        var view = Ml.Data.LoadImageFolder(temp.Path);
        File.Delete(path); // decoding is lazy: ImageAnalytics reads the file only now
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.CreateEnumerable<GrayRow16>(view, false).ToList());
        StringAssert.Contains(e.Message, $"Image file '{path}' could not be decoded by ImageAnalytics");
    }

    private sealed class GrayRow16
    {
        [VectorType(1, 16, 16)] public float[] Image { get; set; } = [];
    }

    [TestMethod]
    public void FolderErrors()
    {
        using var temp = new TempFolder();
        var missing = Path.Combine(temp.Path, "absent");
        var e1 = Assert.ThrowsExactly<DirectoryNotFoundException>(() => Ml.Data.LoadImageFolder(missing));
        StringAssert.Contains(e1.Message, $"'{missing}' does not exist");

        var e2 = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadImageFolder(temp.Path));
        StringAssert.Contains(e2.Message, $"'{temp.Path}' has no class sub-folders");

        Png(Path.Combine(temp.Path, "cat"), "a.png", 2, 2, (_, _) => Gray(1));
        var dog = Path.Combine(temp.Path, "dog");
        Directory.CreateDirectory(dog);
        File.WriteAllText(Path.Combine(dog, "readme.md"), "no images");
        var e3 = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadImageFolder(temp.Path));
        StringAssert.Contains(e3.Message, $"'{dog}' holds no .png, .jpg, .jpeg, .bmp or .gif images");
    }

    [TestMethod]
    public void AnImageAboveThePixelLimitIsRefusedFromItsHeader()
    {
        using var temp = new TempFolder();
        string big = Png(temp.Path, "big.png", 40, 30, (x, y) => SKColors.Gray);
        long limit = ImageLoadersCatalog.MaximumImagePixels;
        try
        {
            ImageLoadersCatalog.MaximumImagePixels = 1_000;
            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Data.LoadImageFiles([big], ImageColorMode.Grayscale, 28, 28));
            StringAssert.Contains(e.Message, $"Image file '{big}' is 40×30 pixels, above the limit of 1,000");
            ImageLoadersCatalog.MaximumImagePixels = 1_200;
            var pixels = TestData.Vectors(new MLContext().Data.LoadImageFiles([big], ImageColorMode.Grayscale, 28, 28), "Image");
            Assert.HasCount(1, pixels, "at the limit it loads");
            Assert.HasCount(28 * 28, pixels[0]);
        }
        finally
        {
            ImageLoadersCatalog.MaximumImagePixels = limit;
        }
    }
}
