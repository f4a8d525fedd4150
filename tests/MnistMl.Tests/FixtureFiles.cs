using System.IO.Compression;

namespace MnistMl.Tests;

/// <summary>
/// Small IDX fixtures written by the tests themselves: an image/label pair of four 3×3 images (pixels 7i, labels
/// 2, 0, 1, 2), raw or gzip-compressed, and any other IDX content a test needs; and the paths of committed files
/// (Fixtures/, e.g. the ONNX models of tests/reference/make_onnx_test_models.py) and of repository files (pipelines/).
/// </summary>
internal static class FixtureFiles
{
    public static readonly byte[] IdxPixels = Enumerable.Range(0, 36).Select(i => (byte)(i * 7)).ToArray();
    public static readonly byte[] IdxLabels = [2, 0, 1, 2];

    public static byte[] IdxImages() => Idx(0x08, [4, 3, 3], IdxPixels);

    public static byte[] IdxLabelFile() => Idx(0x08, [4], IdxLabels);

    /// <summary>An IDX file: magic 0, 0, element type, dimension count; big-endian sizes; then the data.</summary>
    public static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(content);
        return compressed.ToArray();
    }

    public static string Write(string directory, string name, byte[] content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Writes the tiny image/label pair under <paramref name="imagesName"/> and <paramref name="labelsName"/>.</summary>
    public static (string Images, string Labels) WriteIdxPair(string directory, string imagesName = "tiny-images-idx3-ubyte",
        string labelsName = "tiny-labels-idx1-ubyte", bool gzip = false) =>
        (Write(directory, imagesName, gzip ? Gzip(IdxImages()) : IdxImages()), Write(directory, labelsName, gzip ? Gzip(IdxLabelFile()) : IdxLabelFile()));

    /// <summary>A file committed under Fixtures/ (copied next to the test assembly).</summary>
    public static string Committed(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    /// <summary>A file of the repository (pipelines/, …), found by walking up to MnistMl.sln.</summary>
    public static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistMl.sln"))) return Path.Combine([dir.FullName, .. parts]);
        throw new DirectoryNotFoundException("The repository root (the folder of MnistMl.sln) was not found above the test assembly.");
    }
}
