using MnistMl.Imaging;

namespace MnistMl.Tests;

/// <summary>
/// A temporary folder of small images written through <see cref="ImageFile"/>'s encoders, deleted on dispose:
/// a class-folder tree under <see cref="ClassRoot"/> (with files and folders a scan must skip) and two broken files.
/// </summary>
internal sealed class ImageFixtures : IDisposable
{
    private ImageFixtures(string tempFolder)
    {
        TempFolder = tempFolder;
        ClassRoot = Path.Combine(tempFolder, "classes");
        CorruptPng = Path.Combine(tempFolder, "broken", "corrupt.png");
        TruncatedPng = Path.Combine(tempFolder, "broken", "truncated.png");
        TruncatedBmp = Path.Combine(tempFolder, "broken", "truncated.bmp");
    }

    public string TempFolder { get; }

    /// <summary>
    /// Classes "Zebra" (B3.PNG RGB, b10.bmp RGB, b2.png grayscale) and "apple" (x.jpg, y.JPEG); ordinal order puts
    /// upper case first. Also present and not images of the set: apple/notes.txt, apple/.hidden.png,
    /// apple/nested/inner.png and .ipynb_checkpoints/z.png.
    /// </summary>
    public string ClassRoot { get; }

    /// <summary>300 seeded random bytes under a .png name.</summary>
    public string CorruptPng { get; }

    /// <summary>The first half of a valid 16×12 grayscale PNG.</summary>
    public string TruncatedPng { get; }

    /// <summary>A 16×12 RGB BMP without the last 20 bytes of its bottom-up rows (stb alone would decode it).</summary>
    public string TruncatedBmp { get; }

    public static ImageFixtures Create()
    {
        var fixtures = new ImageFixtures(Directory.CreateTempSubdirectory("image-fixtures").FullName);
        fixtures.Populate();
        return fixtures;
    }

    /// <summary>A deterministic image whose values vary along both axes and across channels.</summary>
    public static DecodedImage Pattern(int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (int y = 0, i = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    pixels[i++] = (byte)((31 * y + 17 * x + 80 * c + x * y) % 256);
        return new DecodedImage(width, height, channels, pixels);
    }

    /// <summary>A gradient without sharp edges, which JPEG reproduces closely.</summary>
    public static DecodedImage SmoothGradient(int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (int y = 0, i = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    pixels[i++] = (byte)(40 + 150 * (x + y) / (width + height - 2) + 20 * c);
        return new DecodedImage(width, height, channels, pixels);
    }

    private void Populate()
    {
        string zebra = Folder(ClassRoot, "Zebra"), apple = Folder(ClassRoot, "apple");
        ImageFile.WritePng(Path.Combine(zebra, "B3.PNG"), Pattern(5, 4, 3));
        ImageFile.WriteBmp(Path.Combine(zebra, "b10.bmp"), Pattern(6, 3, 3));
        ImageFile.WritePng(Path.Combine(zebra, "b2.png"), Pattern(4, 4, 1));
        ImageFile.WriteJpeg(Path.Combine(apple, "x.jpg"), SmoothGradient(16, 16, 3));
        ImageFile.WriteJpeg(Path.Combine(apple, "y.JPEG"), SmoothGradient(8, 8, 1));
        File.WriteAllText(Path.Combine(apple, "notes.txt"), "not an image");
        ImageFile.WritePng(Path.Combine(apple, ".hidden.png"), Pattern(2, 2, 1));
        ImageFile.WritePng(Path.Combine(Folder(apple, "nested"), "inner.png"), Pattern(2, 2, 1));
        ImageFile.WritePng(Path.Combine(Folder(ClassRoot, ".ipynb_checkpoints"), "z.png"), Pattern(2, 2, 1));

        string broken = Folder(TempFolder, "broken");
        var noise = new byte[300];
        new Random(12345).NextBytes(noise);
        File.WriteAllBytes(CorruptPng, noise);
        var whole = Path.Combine(broken, "whole");
        ImageFile.WritePng(whole, Pattern(16, 12, 1));
        var bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(TruncatedPng, bytes[..(bytes.Length / 2)]);
        ImageFile.WriteBmp(whole, Pattern(16, 12, 3));
        bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(TruncatedBmp, bytes[..^20]);
        File.Delete(whole);
    }

    private static string Folder(string parent, string name) => Directory.CreateDirectory(Path.Combine(parent, name)).FullName;

    public void Dispose() => Directory.Delete(TempFolder, recursive: true);
}
