using MnistMl.Imaging;

namespace MnistMl.Tests;

[TestClass]
public sealed class ImageFileTests
{
    private static string TempPath(string name) => Path.Combine(Directory.CreateTempSubdirectory("image-file-test").FullName, name);

    [TestMethod]
    [DataRow(1, ImageColorMode.Grayscale)]
    [DataRow(3, ImageColorMode.Rgb)]
    public void PngRoundTripIsExact(int channels, ImageColorMode mode)
    {
        var image = ImageFixtures.Pattern(7, 5, channels);
        var path = TempPath("pattern.png");
        ImageFile.WritePng(path, image);

        var read = ImageFile.Read(path, mode);
        Assert.AreEqual(7, read.Width);
        Assert.AreEqual(5, read.Height);
        Assert.AreEqual(channels, read.Channels);
        CollectionAssert.AreEqual(image.Pixels, read.Pixels);
    }

    [TestMethod]
    public void BmpRoundTripIsExact()
    {
        var rgb = ImageFixtures.Pattern(6, 3, 3);
        var path = TempPath("pattern.bmp");
        ImageFile.WriteBmp(path, rgb);
        CollectionAssert.AreEqual(rgb.Pixels, ImageFile.Read(path, ImageColorMode.Rgb).Pixels);

        // stb stores grayscale as 24-bit BMP; equal R, G, B come back unchanged because the luma weights sum to one.
        var gray = ImageFixtures.Pattern(6, 3, 1);
        ImageFile.WriteBmp(path, gray);
        var read = ImageFile.Read(path, ImageColorMode.Grayscale);
        Assert.AreEqual(1, read.Channels);
        CollectionAssert.AreEqual(gray.Pixels, read.Pixels);
    }

    [TestMethod]
    [DataRow(1, ImageColorMode.Grayscale)]
    [DataRow(3, ImageColorMode.Rgb)]
    public void JpegDecodesToTheRightSizeAndNearlyTheRightValues(int channels, ImageColorMode mode)
    {
        var image = ImageFixtures.SmoothGradient(24, 16, channels);
        var path = TempPath("gradient.jpg");
        ImageFile.WriteJpeg(path, image, quality: 95);

        var read = ImageFile.Read(path, mode);
        Assert.AreEqual(24, read.Width);
        Assert.AreEqual(16, read.Height);
        Assert.AreEqual(channels, read.Channels);
        var errors = image.Pixels.Zip(read.Pixels, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.IsLessThan(1.5, errors.Average(), "mean absolute error");
        Assert.IsLessThanOrEqualTo(8, errors.Max(), "largest error");
        Assert.IsGreaterThan(0, errors.Max(), "JPEG is lossy; an exact copy means the JPEG path was not taken");
    }

    [TestMethod]
    public void GrayscaleIsItuR601LumaRoundedLikePillow()
    {
        byte[] colours = [0, 255, 0, /**/ 0, 0, 255, /**/ 255, 0, 0, /**/ 200, 100, 50, /**/ 255, 255, 255, /**/ 13, 13, 13];
        var path = TempPath("colours.png");
        ImageFile.WritePng(path, new DecodedImage(6, 1, 3, colours));

        var gray = ImageFile.Read(path, ImageColorMode.Grayscale);
        Assert.AreEqual(1, gray.Channels);
        // round(0.299 R + 0.587 G + 0.114 B): green 149.685 → 150 and blue 29.07 → 29, where stb's own truncating
        // 77/150/29 weights give 149 and 28. Pillow 9.4's convert("L") gives the same six values.
        CollectionAssert.AreEqual(new byte[] { 150, 29, 76, 124, 255, 13 }, gray.Pixels);
    }

    [TestMethod]
    public void GrayscaleFileReadAsRgbRepeatsEachValue()
    {
        var gray = ImageFixtures.Pattern(3, 2, 1);
        var path = TempPath("gray.png");
        ImageFile.WritePng(path, gray);

        var rgb = ImageFile.Read(path, ImageColorMode.Rgb);
        Assert.AreEqual(3, rgb.Channels);
        CollectionAssert.AreEqual(gray.Pixels.SelectMany(v => new[] { v, v, v }).ToArray(), rgb.Pixels);
    }

    [TestMethod]
    public void CorruptFileNamesTheFileAndStbsReason()
    {
        using var fixtures = ImageFixtures.Create();
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Read(fixtures.CorruptPng, ImageColorMode.Rgb));
        StringAssert.Contains(e.Message, fixtures.CorruptPng);
        StringAssert.Contains(e.Message, "unknown image type");
    }

    [TestMethod]
    public void TruncatedPngNamesTheFileAndStbsReason()
    {
        using var fixtures = ImageFixtures.Create();
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Read(fixtures.TruncatedPng, ImageColorMode.Grayscale));
        StringAssert.Contains(e.Message, fixtures.TruncatedPng);
        StringAssert.Contains(e.Message, "stb_image says 'outofdata'");
    }

    [TestMethod]
    public void TruncatedBmpNamesTheFileAndTheMissingRows()
    {
        using var fixtures = ImageFixtures.Create();
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Read(fixtures.TruncatedBmp, ImageColorMode.Rgb));
        StringAssert.Contains(e.Message, $"'{fixtures.TruncatedBmp}' is a truncated BMP");
        StringAssert.Contains(e.Message, "12 rows of 48 bytes from offset 54 need more than the file's 610 bytes");
    }

    [TestMethod]
    public void EmptyFileIsReported()
    {
        var path = TempPath("empty.png");
        File.WriteAllBytes(path, []);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Read(path, ImageColorMode.Rgb));
        StringAssert.Contains(e.Message, $"'{path}' is empty");
    }

    [TestMethod]
    public void MissingFileIsNamed()
    {
        var path = TempPath("absent.png");
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => ImageFile.Read(path, ImageColorMode.Rgb));
        Assert.AreEqual(path, e.FileName);
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void WritingReplacesTheFileAndLeavesNoTemporaryFiles()
    {
        var path = TempPath("replaced.png");
        ImageFile.WritePng(path, ImageFixtures.Pattern(4, 4, 1));
        ImageFile.WritePng(path, ImageFixtures.Pattern(2, 3, 3));

        var read = ImageFile.Read(path, ImageColorMode.Rgb);
        Assert.AreEqual((2, 3), (read.Width, read.Height));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [TestMethod]
    public void JpegQualityOutsideOneToHundredIsRejected()
    {
        var path = TempPath("bad-quality.jpg");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageFile.WriteJpeg(path, ImageFixtures.Pattern(2, 2, 1), quality: 0));
        Assert.IsFalse(File.Exists(path));
    }

    [TestMethod]
    public void DecodedImageChecksItsShape()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DecodedImage(2, 2, 4, new byte[16]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DecodedImage(0, 2, 1, []));
        var e = Assert.ThrowsExactly<ArgumentException>(() => new DecodedImage(3, 2, 3, new byte[17]));
        StringAssert.Contains(e.Message, "needs 18 bytes; 17 were given");
    }
}
