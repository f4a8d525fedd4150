using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;

namespace MnistMl.Tests;

[TestClass]
public sealed class OpenMlCsvLoaderTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static string Header(int pixels, string label = "class") =>
        string.Join(",", Enumerable.Range(1, pixels).Select(i => $"pixel{i}").Append(label));

    private static string Row(int pixels, int start, string label) =>
        string.Join(",", Enumerable.Range(start, pixels).Select(v => (v % 256).ToString()).Append(label));

    /// <summary>4 rows of 4×4 pixels labelled "2", "10", "9", "2"; row r holds 10r, 10r+1, ...</summary>
    private static string SmallCsv(TempFolder temp) => temp.File("small.csv",
        Header(16) + "\n" + string.Join("\n", new[] { "2", "10", "9", "2" }.Select((label, r) => Row(16, 10 * r, label))) + "\n");

    private sealed class SmallRow
    {
        [VectorType(1, 4, 4)] public float[] Image { get; set; } = [];
        public uint Label { get; set; }
    }

    [TestMethod]
    public void SchemaHasImageShapeAndNumericallyOrderedKeys()
    {
        using var temp = new TempFolder();
        var view = Ml.Data.LoadOpenMlCsv(SmallCsv(temp));

        CollectionAssert.AreEqual(new[] { "Image", "Label" }, view.Schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 4, 4), view.Schema["Image"].Type);
        Assert.AreEqual("Vector<Single, 1, 4, 4>", view.Schema["Image"].Type.ToString());
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 3), view.Schema["Label"].Type);
        VBuffer<ReadOnlyMemory<char>> names = default;
        view.Schema["Label"].GetKeyValues(ref names);
        CollectionAssert.AreEqual(new[] { "2", "9", "10" }, names.DenseValues().Select(n => n.ToString()).ToArray());
    }

    [TestMethod]
    public void ValuesReadBackThroughCursorAndCreateEnumerable()
    {
        using var temp = new TempFolder();
        var view = Ml.Data.LoadOpenMlCsv(SmallCsv(temp));

        var rows = Ml.Data.CreateEnumerable<SmallRow>(view, reuseRowObject: false).ToList();
        Assert.HasCount(4, rows);
        CollectionAssert.AreEqual(new uint[] { 1, 3, 2, 1 }, rows.Select(r => r.Label).ToArray());
        for (int r = 0; r < 4; r++)
            CollectionAssert.AreEqual(Enumerable.Range(10 * r, 16).Select(v => (float)v).ToArray(), rows[r].Image);

        using var cursor = view.GetRowCursor(view.Schema);
        var getImage = cursor.GetGetter<VBuffer<float>>(view.Schema["Image"]);
        VBuffer<float> image = default;
        Assert.IsTrue(cursor.MoveNext());
        Assert.IsTrue(cursor.MoveNext());
        getImage(ref image);
        Assert.AreEqual(16, image.Length);
        CollectionAssert.AreEqual(Enumerable.Range(10, 16).Select(v => (float)v).ToArray(), image.DenseValues().ToArray());
    }

    [TestMethod]
    public void Mnist784RowWithLabelFirstBecomes28x28()
    {
        using var temp = new TempFolder();
        var path = temp.File("mnist.csv", "class," + Header(784).Replace(",class", "") + "\n\"7\"," + Row(784, 0, "x").Replace(",x", "") + "\n");
        var view = Ml.Data.LoadOpenMlCsv(path);

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), view.Schema["Image"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 1), view.Schema["Label"].Type);
        var row = Ml.Data.CreateEnumerable<MnistRow>(view, false).Single();
        Assert.AreEqual(1u, row.Label);
        CollectionAssert.AreEqual(Enumerable.Range(0, 784).Select(v => (float)(v % 256)).ToArray(), row.Image);
    }

    private sealed class MnistRow
    {
        [VectorType(1, 28, 28)] public float[] Image { get; set; } = [];
        public uint Label { get; set; }
    }

    [TestMethod]
    public void GivenSizeShapesNonSquarePixels()
    {
        using var temp = new TempFolder();
        var path = temp.File("wide.csv", Header(6) + "\n" + Row(6, 0, "a") + "\n" + Row(6, 1, "b") + "\n");
        var view = Ml.Data.LoadOpenMlCsv(path, imageHeight: 2, imageWidth: 3);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 2, 3), view.Schema["Image"].Type);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadOpenMlCsv(path));
        StringAssert.Contains(e.Message, "6 pixel columns, not a square count");
    }

    [TestMethod]
    public void TextClassesAreOrdinal()
    {
        using var temp = new TempFolder();
        var path = temp.File("text.csv", Header(4, "kind") + "\n" + Row(4, 0, "b") + "\n" + Row(4, 0, "B") + "\n" + Row(4, 0, "a") + "\n");
        var view = Ml.Data.LoadOpenMlCsv(path, labelColumnName: "kind");
        VBuffer<ReadOnlyMemory<char>> names = default;
        view.Schema["Label"].GetKeyValues(ref names);
        CollectionAssert.AreEqual(new[] { "B", "a", "b" }, names.DenseValues().Select(n => n.ToString()).ToArray());
    }

    [TestMethod]
    public void WorksWithNormalizeAndShuffle()
    {
        using var temp = new TempFolder();
        var view = Ml.Data.LoadOpenMlCsv(SmallCsv(temp));

        var normalized = Ml.Transforms.NormalizeMinMax("Image").Fit(view).Transform(view);
        var rows = Ml.Data.CreateEnumerable<SmallRow>(normalized, false).ToList();
        Assert.AreEqual(0f, rows[0].Image[0]); // column minimum 0 (row 0), maximum 30 (row 3)
        Assert.AreEqual(1f, rows[3].Image[0]);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 4, 4), normalized.Schema["Image"].Type);

        var shuffled = Ml.Data.CreateEnumerable<SmallRow>(Ml.Data.ShuffleRows(view, seed: 3), false).ToList();
        CollectionAssert.AreEquivalent(new uint[] { 1, 3, 2, 1 }, shuffled.Select(r => r.Label).ToArray());
        CollectionAssert.AreEquivalent(new[] { 0f, 10f, 20f, 30f }, shuffled.Select(r => r.Image[0]).ToArray());
    }

    [TestMethod]
    public void MissingFileIsNamed()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "absent.csv");
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => Ml.Data.LoadOpenMlCsv(path));
        StringAssert.Contains(e.Message, $"'{path}' does not exist");
    }

    [TestMethod]
    public void EmptyFileIsRejected()
    {
        using var temp = new TempFolder();
        var path = temp.File("empty.csv", "");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadOpenMlCsv(path));
        StringAssert.Contains(e.Message, $"'{path}' is empty");
    }

    [TestMethod]
    public void HeaderWithoutRowsIsRejected()
    {
        using var temp = new TempFolder();
        var path = temp.File("header.csv", Header(4) + "\n");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadOpenMlCsv(path));
        StringAssert.Contains(e.Message, "has a header but no rows");
    }

    [TestMethod]
    public void MissingLabelColumnListsHeader()
    {
        using var temp = new TempFolder();
        var path = SmallCsv(temp);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadOpenMlCsv(path, labelColumnName: "digit"));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "no label column 'digit'");
        StringAssert.Contains(e.Message, "17 columns: pixel1, pixel2, pixel3, pixel4, pixel5, …");
    }

    [TestMethod]
    public void RowWithTooFewOrTooManyFieldsNamesTheLine()
    {
        using var temp = new TempFolder();
        // Line 3 is blank (ML.NET skips it), so the short row is on line 4.
        var shortRow = temp.File("short.csv", Header(4) + "\n" + Row(4, 0, "1") + "\n\n1,2,3,4\n");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadOpenMlCsv(shortRow));
        StringAssert.Contains(e.Message, shortRow);
        StringAssert.Contains(e.Message, "line 4");
        StringAssert.Contains(e.Message, "4 fields, but the header has 5");

        var longRow = temp.File("long.csv", Header(4) + "\n" + Row(4, 0, "1") + ",9,9\n");
        e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadOpenMlCsv(longRow));
        StringAssert.Contains(e.Message, "line 2: 7 fields, but the header has 5");
    }

    [TestMethod]
    public void PixelThatIsNoNumberNamesLineAndColumnWhenRead()
    {
        using var temp = new TempFolder();
        var path = temp.File("bad.csv", Header(4) + "\n" + Row(4, 0, "1") + "\n1,abc,3,4,2\n");
        var view = Ml.Data.LoadOpenMlCsv(path); // lazy: labels are fine
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.CreateEnumerable<FourRow>(view, false).ToList());
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "line 3, column 'pixel2': 'abc' is not a number");
    }

    [TestMethod]
    public void EmptyPixelIsNoNumber()
    {
        using var temp = new TempFolder();
        var path = temp.File("gap.csv", Header(4) + "\n0,0,,0.5,2\n");
        var view = Ml.Data.LoadOpenMlCsv(path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.CreateEnumerable<FourRow>(view, false).ToList());
        StringAssert.Contains(e.Message, "line 2, column 'pixel3': '' is not a number");
    }

    private sealed class FourRow
    {
        [VectorType(1, 2, 2)] public float[] Image { get; set; } = [];
        public uint Label { get; set; }
    }
}
