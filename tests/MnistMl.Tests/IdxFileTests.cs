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

    [TestMethod]
    public void AHeaderWhoseSizeOverflowsIsRefusedNotWrappedToZero()
    {
        using var temp = new TempFolder();
        // [16, 2^30, 2^30]: the product is 2^64, which wraps to 0 in 64-bit arithmetic and would match an empty body.
        var header = FixtureFiles.Idx(0x08, [16, 1 << 30, 1 << 30], []);
        var path = FixtureFiles.Write(temp.Path, "overflow-idx3-ubyte", header);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "more than 2^63 bytes of data, above the 1,073,741,824-byte limit");
    }

    [TestMethod]
    public void AGzipBombIsReadNoFurtherThanItsHeaderDeclares()
    {
        using var temp = new TempFolder();
        // Declares 2 rows of 2x2 bytes, then 50 MB of zeros that compress to about 50 KB.
        var declared = FixtureFiles.Idx(0x08, [2, 2, 2], new byte[8]);
        var bomb = new byte[declared.Length + 50_000_000];
        declared.CopyTo(bomb, 0);
        var path = FixtureFiles.Write(temp.Path, "bomb-idx3-ubyte.gz", FixtureFiles.Gzip(bomb));
        Assert.IsTrue(new FileInfo(path).Length < 1_000_000);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(path));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        StringAssert.Contains(e.Message, "has bytes after the [2, 2, 2] data it declares");
        StringAssert.Contains(e.Message, path);
        Assert.IsTrue(allocated < 10_000_000, $"{allocated:N0} bytes allocated to read a 50 MB bomb");

        var limited = FixtureFiles.Write(temp.Path, "big-idx1-ubyte", FixtureFiles.Idx(0x08, [5000], new byte[5000]));
        long limit = IdxFile.MaximumBytes;
        try
        {
            IdxFile.MaximumBytes = 4096;
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => IdxFile.Read(limited)).Message, "declares [5000], 5,000 bytes of data, above the 4,096-byte limit");
        }
        finally
        {
            IdxFile.MaximumBytes = limit;
        }
    }
}
