using System.Text;
using MnistMl.Imaging;

namespace MnistMl.Tests;

/// <summary>
/// Writes the small data fixtures committed under Fixtures/ (a test checks the committed files still equal what
/// this writes): an IDX image/label pair of four 3×3 images, an OpenML-layout CSV of five 2×2 images and an
/// image folder with classes "circle" and "square", two 6×5 grayscale PNGs each.
/// </summary>
internal static class FixtureFiles
{
    public static string CommittedDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static readonly byte[] IdxPixels = Enumerable.Range(0, 36).Select(i => (byte)(i * 7)).ToArray();
    public static readonly byte[] IdxLabels = [2, 0, 1, 2];

    public static byte[] IdxImages() => Idx(0x08, [4, 3, 3], IdxPixels);

    public static byte[] IdxLabelFile() => Idx(0x08, [4], IdxLabels);

    public static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    /// <summary>OpenML mnist_784 layout in miniature: pixel1..pixel4, then "class".</summary>
    public static string OpenMlCsv()
    {
        var text = new StringBuilder("pixel1,pixel2,pixel3,pixel4,class\n");
        int[] classes = [5, 0, 4, 1, 9];
        for (int r = 0; r < classes.Length; r++)
            text.Append($"{r * 10},{r * 10 + 1},{r * 10 + 2},{255 - r},{classes[r]}\n");
        return text.ToString();
    }

    public static void WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "tiny-images-idx3-ubyte"), IdxImages());
        File.WriteAllBytes(Path.Combine(directory, "tiny-labels-idx1-ubyte"), IdxLabelFile());
        File.WriteAllText(Path.Combine(directory, "tiny_mnist_784.csv"), OpenMlCsv());
        foreach (var (path, image) in ImageFolderContents(Path.Combine(directory, "image-folder")))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ImageFile.WritePng(path, image);
        }
    }

    /// <summary>The image-folder fixture: file path → image, labels in class order circle (0), square (1).</summary>
    public static IEnumerable<(string Path, DecodedImage Image)> ImageFolderContents(string root)
    {
        string[] classes = ["circle", "square"];
        for (int c = 0; c < classes.Length; c++)
            for (int i = 0; i < 2; i++)
            {
                var pixels = new byte[6 * 5];
                for (int p = 0; p < pixels.Length; p++) pixels[p] = (byte)((p * 9 + c * 100 + i * 40) % 256);
                yield return (Path.Combine(root, classes[c], $"{classes[c]}{i}.png"), new DecodedImage(6, 5, 1, pixels));
            }
    }

    public static string Committed(string name) => Path.Combine(CommittedDirectory, name);

    /// <summary>A file of the repository (pipelines/, tests/…), found by walking up to MnistMl.sln.</summary>
    public static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistMl.sln"))) return Path.Combine([dir.FullName, .. parts]);
        throw new DirectoryNotFoundException("The repository root was not found.");
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("mnistml-test").FullName;
}
