using MnistMl.Data;
using MnistMl.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Tests;

[TestClass]
public sealed class DataLoaderTests
{
    private readonly MLContext context = new(seed: 1);

    [TestMethod]
    public void CommittedFixturesMatchTheirGenerator()
    {
        var fresh = FixtureFiles.TempDirectory();
        FixtureFiles.WriteAll(fresh);
        foreach (var name in new[] { "tiny-images-idx3-ubyte", "tiny-labels-idx1-ubyte", "tiny_mnist_784.csv" })
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(fresh, name)), File.ReadAllBytes(FixtureFiles.Committed(name)), name);
    }

    [TestMethod]
    public void IdxFixtureLoadsAsImagesAndKeys()
    {
        var data = context.Data.LoadFromIdx(FixtureFiles.Committed("tiny-images-idx3-ubyte"), FixtureFiles.Committed("tiny-labels-idx1-ubyte"));
        Assert.AreEqual(4L, data.RowCount);
        Assert.AreEqual(ColumnType.Image(ScalarType.Byte, 1, 3, 3), data.Schema["Image"].Type);
        Assert.AreEqual(ColumnType.Key(3), data.Schema["Label"].Type);
        CollectionAssert.AreEqual(new[] { "0", "1", "2" }, data.Schema["Label"].KeyValues!.ToArray());
        using var batch = data.GetRows(1, 2);
        CollectionAssert.AreEqual(FixtureFiles.IdxPixels[9..27], batch["Image"].data<byte>().ToArray());
        CollectionAssert.AreEqual(new[] { 0L, 1L }, batch["Label"].data<long>().ToArray());
    }

    [TestMethod]
    public void IdxImageAndLabelCountMismatchNamesBothFiles()
    {
        var dir = FixtureFiles.TempDirectory();
        var labels = Path.Combine(dir, "three-labels");
        File.WriteAllBytes(labels, FixtureFiles.Idx(0x08, [3], [0, 1, 2]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadFromIdx(FixtureFiles.Committed("tiny-images-idx3-ubyte"), labels));
        StringAssert.Contains(e.Message, "holds 4 images");
        StringAssert.Contains(e.Message, "holds 3 labels");
        StringAssert.Contains(e.Message, labels);
    }

    [TestMethod]
    public void IdxLabelsBeyondTheClassNamesAreRejected()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadFromIdx(
            FixtureFiles.Committed("tiny-images-idx3-ubyte"), FixtureFiles.Committed("tiny-labels-idx1-ubyte"), ["a", "b"]));
        StringAssert.Contains(e.Message, "label 2");
    }

    [TestMethod]
    public void MnistLoadsBothSplitsWithTheirSizes()
    {
        var train = context.Data.LoadMnist(DataSplit.Train);
        var test = context.Data.LoadMnist(DataSplit.Test);
        Assert.AreEqual(60000L, train.RowCount);
        Assert.AreEqual(10000L, test.RowCount);
        Assert.AreEqual(ColumnType.Image(ScalarType.Byte, 1, 28, 28), test.Schema["Image"].Type);
        using var first = test.GetRows(0, 2, ["Label"]);
        CollectionAssert.AreEqual(new[] { 7L, 2L }, first["Label"].data<long>().ToArray()); // MNIST's first test digits
    }

    [TestMethod]
    public void FashionMnistCarriesItsClassNames()
    {
        var test = context.Data.LoadFashionMnist(DataSplit.Test);
        Assert.AreEqual(10000L, test.RowCount);
        var names = test.Schema["Label"].KeyValues!;
        Assert.AreEqual("T-shirt/top", names[0]);
        Assert.AreEqual("Ankle boot", names[9]);
        using var first = test.GetRows(0, 1, ["Label"]);
        Assert.AreEqual(9L, first["Label"].data<long>().ToArray()[0]); // Fashion-MNIST's first test item is an ankle boot
    }

    [TestMethod]
    public void NamedDataSetWithAnOverriddenDirectory()
    {
        var dir = FixtureFiles.TempDirectory();
        File.Copy(FixtureFiles.Committed("tiny-images-idx3-ubyte"), Path.Combine(dir, "t10k-images-idx3-ubyte"));
        File.Copy(FixtureFiles.Committed("tiny-labels-idx1-ubyte"), Path.Combine(dir, "t10k-labels-idx1-ubyte"));
        var data = context.Data.LoadDataSet("mnist", DataSplit.Test, directory: dir);
        Assert.AreEqual(4L, data.RowCount);
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Data.LoadDataSet("cifar-10", DataSplit.Test));
        StringAssert.Contains(e.Message, "Unknown data set 'cifar-10'");
    }

    [TestMethod]
    public void OpenMlCsvLoadsPixelsAndClasses()
    {
        var data = context.Data.LoadFromOpenMlCsv(FixtureFiles.Committed("tiny_mnist_784.csv"));
        Assert.AreEqual(5L, data.RowCount);
        Assert.AreEqual(ColumnType.Image(ScalarType.Float32, 1, 2, 2), data.Schema["Image"].Type);
        CollectionAssert.AreEqual(new[] { "0", "1", "4", "5", "9" }, data.Schema["Label"].KeyValues!.ToArray());
        using var batch = data.GetRows(0, 5);
        CollectionAssert.AreEqual(new[] { 3L, 0L, 2L, 1L, 4L }, batch["Label"].data<long>().ToArray());
        CollectionAssert.AreEqual(new[] { 10f, 11f, 12f, 254f }, batch["Image"][1].data<float>().ToArray());
    }

    [TestMethod]
    public void CsvRowWithTheWrongFieldCountNamesTheLine()
    {
        var path = Path.Combine(FixtureFiles.TempDirectory(), "bad.csv");
        File.WriteAllText(path, "pixel1,pixel2,class\n1,2,3\n4,5\n");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadFromOpenMlCsv(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "line 3");
        StringAssert.Contains(e.Message, "2 fields, but the header has 3");
    }

    [TestMethod]
    public void CsvNonNumberNamesTheColumn()
    {
        var path = Path.Combine(FixtureFiles.TempDirectory(), "text.csv");
        File.WriteAllText(path, "pixel1,pixel2,class\n1,x,3\n");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadFromOpenMlCsv(path));
        StringAssert.Contains(e.Message, "column 'pixel2'");
    }

    [TestMethod]
    public void CsvWithoutTheLabelColumnNamesIt()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Data.LoadFromOpenMlCsv(FixtureFiles.Committed("tiny_mnist_784.csv"), labelColumnName: "digit"));
        StringAssert.Contains(e.Message, "no label column 'digit'");
    }

    [TestMethod]
    public void InMemoryImagesAndFeatures()
    {
        var images = context.Data.LoadFromImages(Enumerable.Range(0, 2 * 12).Select(i => (float)i).ToArray(), [1, 0], 3, 2, 2, ["cat", "dog"]);
        Assert.AreEqual(ColumnType.Image(ScalarType.Float32, 3, 2, 2), images.Schema["Image"].Type);
        using var row = images.GetRows([1L]);
        Assert.AreEqual(12f, row["Image"].data<float>().ToArray()[0]);
        var features = context.Data.LoadFromFeatures([1, 2, 3, 4, 5, 6], [0, 1, 1], 2);
        Assert.AreEqual(ColumnType.Key(2), features.Schema["Label"].Type);
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Data.LoadFromFeatures([1, 2, 3], [0, 1], 2));
        StringAssert.Contains(e.Message, "need 4 values; 3 were given");
    }

    [TestMethod]
    public void CommittedImageFolderDecodesToItsGeneratorImages()
    {
        foreach (var (path, image) in FixtureFiles.ImageFolderContents(FixtureFiles.Committed("image-folder")))
            CollectionAssert.AreEqual(image.Pixels, ImageFile.Read(path, ImageColorMode.Grayscale).Pixels, path);
    }

    [TestMethod]
    public void ImageFolderLoadsClassesFromSubFolders()
    {
        var data = context.Data.LoadFromImageFolder(FixtureFiles.Committed("image-folder"));
        Assert.AreEqual(4L, data.RowCount);
        Assert.AreEqual(ColumnType.Image(ScalarType.Byte, 1, 5, 6), data.Schema["Image"].Type);
        CollectionAssert.AreEqual(new[] { "circle", "square" }, data.Schema["Label"].KeyValues!.ToArray());
        using var batch = data.GetRows(0, 4);
        CollectionAssert.AreEqual(new[] { 0L, 0L, 1L, 1L }, batch["Label"].data<long>().ToArray());
        var expected = FixtureFiles.ImageFolderContents("").ToArray();
        CollectionAssert.AreEqual(expected[2].Image.Pixels, batch["Image"][2].data<byte>().ToArray());
    }

    [TestMethod]
    public void ImageFolderAsRgbAndResized()
    {
        var data = context.Data.LoadFromImageFolder(FixtureFiles.Committed("image-folder"), ImageColorMode.Rgb, height: 10, width: 12);
        Assert.AreEqual(ColumnType.Image(ScalarType.Float32, 3, 10, 12), data.Schema["Image"].Type);
        using var batch = data.GetRows(0, 1);
        using var channels = batch["Image"][0];
        // A grayscale PNG read as RGB has three equal channels.
        CollectionAssert.AreEqual(channels[0].data<float>().ToArray(), channels[2].data<float>().ToArray());
    }

    [TestMethod]
    public void MixedImageSizesWithoutResizeNameTheFile()
    {
        var root = FixtureFiles.TempDirectory();
        foreach (var (path, image) in FixtureFiles.ImageFolderContents(root))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ImageFile.WritePng(path, image);
        }
        var odd = Path.Combine(root, "square", "square2.png");
        ImageFile.WritePng(odd, new DecodedImage(4, 4, 1, new byte[16]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadFromImageFolder(root));
        StringAssert.Contains(e.Message, odd);
        StringAssert.Contains(e.Message, "give a target size");
        Assert.AreEqual(5L, context.Data.LoadFromImageFolder(root, height: 5, width: 6).RowCount);
    }

    [TestMethod]
    public void AFileThatIsNotAnImageNamesTheFile()
    {
        var root = FixtureFiles.TempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "one"));
        var fake = Path.Combine(root, "one", "fake.png");
        File.WriteAllText(fake, "this is text, not a PNG");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => context.Data.LoadFromImageFolder(root));
        StringAssert.Contains(e.Message, fake);
    }
}
