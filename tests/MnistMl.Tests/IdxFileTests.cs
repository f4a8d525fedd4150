using MnistMl.Data;

namespace MnistMl.Tests;

[TestClass]
public sealed class IdxFileTests
{
    [TestMethod]
    public void ReadsRawAndGzipFiles()
    {
        using var temp = new TempFolder();
        var content = FixtureFiles.Idx(0x08, [2, 2, 3], Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray());
        var raw = IdxFile.Read(FixtureFiles.Write(temp.Path, "images-idx3-ubyte", content));
        CollectionAssert.AreEqual(new[] { 2, 2, 3 }, raw.Dimensions);
        Assert.AreEqual(2, raw.Count);
        Assert.AreEqual((byte)220, raw.Data[11]);

        var unzipped = IdxFile.Read(FixtureFiles.Write(temp.Path, "images-idx3-ubyte.gz", FixtureFiles.Gzip(content)));
        CollectionAssert.AreEqual(raw.Data, unzipped.Data);
    }

    [TestMethod]
    public void BadMagicNamesTheFile()
    {
        using var temp = new TempFolder();
        var path = FixtureFiles.Write(temp.Path, "bad.idx", [1, 2, 3, 4, 5, 6]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "bad magic number");
    }

    [TestMethod]
    public void TruncatedDataIsReported()
    {
        using var temp = new TempFolder();
        var path = FixtureFiles.Write(temp.Path, "short-idx1-ubyte", FixtureFiles.Idx(0x08, [3, 4], new byte[10]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "truncated");
        StringAssert.Contains(e.Message, "needs 12 bytes of data, found 10");
    }

    [TestMethod]
    public void UnsupportedElementTypeIsReported()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Parse(FixtureFiles.Idx(0x0D, [1], new byte[4]), "floats.idx"));
        StringAssert.Contains(e.Message, "element type 0x0d");
        StringAssert.Contains(e.Message, "floats.idx");
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
