using System.IO.Compression;
using MnistMl.Data;

namespace MnistMl.Tests;

[TestClass]
public sealed class IdxFileTests
{
    private static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims) bytes.AddRange(new[] { (byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d });
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static string TempFile(byte[] content, string name)
    {
        var dir = Directory.CreateTempSubdirectory("idx-test").FullName;
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [TestMethod]
    public void ReadsRawAndGzipFiles()
    {
        var content = Idx(0x08, [2, 2, 3], Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray());
        var raw = IdxFile.Read(TempFile(content, "images-idx3-ubyte"));
        CollectionAssert.AreEqual(new[] { 2, 2, 3 }, raw.Dimensions);
        Assert.AreEqual(2, raw.Count);
        Assert.AreEqual((byte)220, raw.Data[11]);

        using var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(content);
        var unzipped = IdxFile.Read(TempFile(compressed.ToArray(), "images-idx3-ubyte.gz"));
        CollectionAssert.AreEqual(raw.Data, unzipped.Data);
    }

    [TestMethod]
    public void BadMagicNamesTheFile()
    {
        var path = TempFile([1, 2, 3, 4, 5, 6], "bad.idx");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "bad magic number");
    }

    [TestMethod]
    public void TruncatedDataIsReported()
    {
        var content = Idx(0x08, [3, 4], new byte[10]);
        var path = TempFile(content, "short-idx1-ubyte");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));
        StringAssert.Contains(e.Message, "truncated");
        StringAssert.Contains(e.Message, "needs 12 bytes of data, found 10");
    }

    [TestMethod]
    public void UnsupportedElementTypeIsReported()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Parse(Idx(0x0D, [1], new byte[4]), "floats.idx"));
        StringAssert.Contains(e.Message, "element type 0x0d");
    }

    [TestMethod]
    public void MnistFromTheSetupCacheHasTheExpectedShape()
    {
        var dir = DataSetLocation.MnistDirectory();
        var images = IdxFile.Read(Path.Combine(dir, "t10k-images-idx3-ubyte"));
        var labels = IdxFile.Read(Path.Combine(dir, "t10k-labels-idx1-ubyte"));
        CollectionAssert.AreEqual(new[] { 10000, 28, 28 }, images.Dimensions);
        CollectionAssert.AreEqual(new[] { 10000 }, labels.Dimensions);
        // The first test digit of MNIST is a 7, the second a 2.
        Assert.AreEqual((byte)7, labels.Data[0]);
        Assert.AreEqual((byte)2, labels.Data[1]);
    }
}
