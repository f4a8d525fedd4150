using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Evaluation;

namespace MnistMl.Tests;

/// <summary>The IDX loaders (<c>ml.Data.LoadIdx</c>, <c>LoadMnist</c>, <c>LoadFashionMnist</c>, <c>LoadDataSet</c>) and in-memory images.</summary>
[TestClass]
public sealed class DataLoaderTests
{
    private readonly MLContext context = new(seed: 1);

    private static float[] Floats(byte[] bytes) => bytes.Select(b => (float)b).ToArray();

    private static void AssertTinyIdx(IDataView data)
    {
        Assert.AreEqual(4L, data.GetRowCount());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 3, 3), data.Schema["Image"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 3), data.Schema["Label"].Type);
        CollectionAssert.AreEqual(new[] { "0", "1", "2" }, data.Schema["Label"].GetClassNames().ToArray());
        var images = TestData.Vectors(data, "Image");
        CollectionAssert.AreEqual(Floats(FixtureFiles.IdxPixels[9..18]), images[1]);
        CollectionAssert.AreEqual(Floats(FixtureFiles.IdxPixels[18..27]), images[2]);
        CollectionAssert.AreEqual(new uint[] { 3, 1, 2, 3 }, TestData.Keys(data, "Label")); // labels 2, 0, 1, 2 as 1-based keys
    }

    [TestMethod]
    public void IdxFixtureLoadsAsImagesAndKeys()
    {
        using var temp = new TempFolder();
        var (images, labels) = FixtureFiles.WriteIdxPair(temp.Path);
        AssertTinyIdx(context.Data.LoadIdx(images, labels));
    }

    [TestMethod]
    public void GzippedIdxLoadsTheSame()
    {
        using var temp = new TempFolder();
        var (images, labels) = FixtureFiles.WriteIdxPair(temp.Path, "tiny-images-idx3-ubyte.gz", "tiny-labels-idx1-ubyte.gz", gzip: true);
        AssertTinyIdx(context.Data.LoadIdx(images, labels));
    }

    [TestMethod]
    public void IdxBadMagicNumberNamesTheFile()
    {
        using var temp = new TempFolder();
        var (images, _) = FixtureFiles.WriteIdxPair(temp.Path);
        var labels = FixtureFiles.Write(temp.Path, "not-idx", [0x50, 0x4b, 3, 4, 0, 0, 0, 4, 2, 0, 1, 2]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadIdx(images, labels));
        StringAssert.Contains(e.Message, labels);
        StringAssert.Contains(e.Message, "bad magic number");
    }

    [TestMethod]
    public void TruncatedIdxImagesNameTheFile()
    {
        using var temp = new TempFolder();
        var (_, labels) = FixtureFiles.WriteIdxPair(temp.Path);
        var images = FixtureFiles.Write(temp.Path, "short-images", FixtureFiles.Idx(0x08, [4, 3, 3], FixtureFiles.IdxPixels[..30]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadIdx(images, labels));
        StringAssert.Contains(e.Message, images);
        StringAssert.Contains(e.Message, "truncated");
        StringAssert.Contains(e.Message, "needs 36 bytes of data, found 30");
    }

    [TestMethod]
    public void IdxImagesAndLabelsNeedTheirDimensionCounts()
    {
        using var temp = new TempFolder();
        var (images, labels) = FixtureFiles.WriteIdxPair(temp.Path);
        var flatImages = FixtureFiles.Write(temp.Path, "flat-images", FixtureFiles.Idx(0x08, [4, 9], FixtureFiles.IdxPixels));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadIdx(flatImages, labels));
        StringAssert.Contains(e.Message, flatImages);
        StringAssert.Contains(e.Message, "has 2 dimensions; images need 3");

        var squareLabels = FixtureFiles.Write(temp.Path, "square-labels", FixtureFiles.Idx(0x08, [2, 2], FixtureFiles.IdxLabels));
        e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadIdx(images, squareLabels));
        StringAssert.Contains(e.Message, squareLabels);
        StringAssert.Contains(e.Message, "has 2 dimensions; labels need 1");
    }

    [TestMethod]
    public void IdxImageAndLabelCountMismatchNamesBothFiles()
    {
        using var temp = new TempFolder();
        var (images, _) = FixtureFiles.WriteIdxPair(temp.Path);
        var labels = FixtureFiles.Write(temp.Path, "three-labels", FixtureFiles.Idx(0x08, [3], [0, 1, 2]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadIdx(images, labels));
        StringAssert.Contains(e.Message, "holds 4 images");
        StringAssert.Contains(e.Message, "holds 3 labels");
        StringAssert.Contains(e.Message, images);
        StringAssert.Contains(e.Message, labels);
    }

    [TestMethod]
    public void IdxLabelsBeyondTheClassNamesAreRejected()
    {
        using var temp = new TempFolder();
        var (images, labels) = FixtureFiles.WriteIdxPair(temp.Path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadIdx(images, labels, ["a", "b"]));
        StringAssert.Contains(e.Message, "label 2");
        StringAssert.Contains(e.Message, labels);
    }

    [TestMethod]
    public void IdxWithClassNamesCarriesThem()
    {
        using var temp = new TempFolder();
        var (images, labels) = FixtureFiles.WriteIdxPair(temp.Path);
        var data = context.Data.LoadIdx(images, labels, ["a", "b", "c", "d"]);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 4), data.Schema["Label"].Type);
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d" }, data.Schema["Label"].GetClassNames().ToArray());
    }

    [TestMethod]
    public void MnistLoadsBothSplitsWithTheirSizes()
    {
        var train = context.Data.LoadMnist(DataSplit.Train);
        var test = context.Data.LoadMnist(DataSplit.Test);
        Assert.AreEqual(60000L, train.GetRowCount());
        Assert.AreEqual(10000L, test.GetRowCount());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), test.Schema["Image"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 10), test.Schema["Label"].Type);
        // MNIST's first test digits are a 7 and a 2 (keys are 1-based).
        CollectionAssert.AreEqual(new uint[] { 8, 3 }, TestData.Keys(context.Data.TakeRows(test, 2), "Label"));
    }

    [TestMethod]
    public void FashionMnistCarriesItsClassNames()
    {
        var test = context.Data.LoadFashionMnist(DataSplit.Test);
        Assert.AreEqual(10000L, test.GetRowCount());
        var names = test.Schema["Label"].GetClassNames();
        Assert.AreEqual("T-shirt/top", names[0]);
        Assert.AreEqual("Ankle boot", names[9]);
        // Fashion-MNIST's first test item is an ankle boot (class 9, key 10).
        Assert.AreEqual(10u, TestData.Keys(context.Data.TakeRows(test, 1), "Label")[0]);
    }

    [TestMethod]
    public void NamedDataSetWithAnOverriddenDirectory()
    {
        using var temp = new TempFolder();
        FixtureFiles.WriteIdxPair(temp.Path, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
        var data = context.Data.LoadDataSet("mnist", DataSplit.Test, directory: temp.Path);
        Assert.AreEqual(4L, data.GetRowCount());
        CollectionAssert.AreEqual(MnistDataCatalog.MnistClassNames.ToArray(), data.Schema["Label"].GetClassNames().ToArray());
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Data.LoadDataSet("cifar-10", DataSplit.Test));
        StringAssert.Contains(e.Message, "Unknown data set 'cifar-10'");
    }

    [TestMethod]
    public void InMemoryImages()
    {
        var images = context.Data.LoadImages(Enumerable.Range(0, 2 * 12).Select(i => (float)i).ToArray(), [1, 0], (3, 2, 2), ["cat", "dog"]);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3, 2, 2), images.Schema["Image"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 2), images.Schema["Label"].Type);
        Assert.AreEqual(12f, TestData.Vectors(images, "Image")[1][0]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Data.LoadImages(new float[] { 1, 2, 3 }, [0, 1], (1, 1, 2)));
        StringAssert.Contains(e.Message, "need 4 pixels");
        StringAssert.Contains(e.Message, "3 were given");
    }
}
