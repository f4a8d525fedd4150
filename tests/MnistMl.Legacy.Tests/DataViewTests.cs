using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Transforms;

namespace MnistMl.Tests;

[TestClass]
public sealed class DataViewTests
{
    private readonly MLContext context = new(seed: 1);

    /// <summary>Doubles a column and counts the rows it has computed.</summary>
    private sealed class CountingTransformer(string column) : MappingTransformer
    {
        public long RowsComputed;

        public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
        {
            var input = inputSchema[column];
            return [new(new("Doubled", new ColumnType(ScalarType.Float32, input.Type.Dimensions)), [column], x =>
            {
                Interlocked.Add(ref RowsComputed, x[0].size(0));
                return x[0].to_type(ScalarType.Float32) * 2;
            })];
        }
    }

    [TestMethod]
    public void TransformsRunOnlyOnTheRowsAndColumnsRead()
    {
        var mnist = context.Data.LoadMnist(DataSplit.Train);
        var counting = new CountingTransformer("Image");
        var chain = context.Transforms.ScalePixels("Scaled", "Image").Fit(mnist).Transform(mnist);
        var doubled = counting.Transform(chain);
        Assert.AreEqual(60000L, doubled.RowCount);
        Assert.AreEqual(0L, counting.RowsComputed, "building the chain computes nothing");

        using (var labels = doubled.GetRows(0, 1000, ["Label"])) Assert.AreEqual(1000L, labels.RowCount);
        Assert.AreEqual(0L, counting.RowsComputed, "reading another column does not run the transform");

        var shuffled = context.Data.ShuffleRows(doubled, seed: 1);
        using (var batch = shuffled.GetRows(0, 64, ["Doubled"])) Assert.AreEqual(64L, batch.RowCount);
        Assert.AreEqual(64L, counting.RowsComputed, "a batch of a shuffled view transforms just its 64 rows");
    }

    [TestMethod]
    public void CacheCheckpointTransformsOnceForManyEpochs()
    {
        var data = context.Data.TakeRows(context.Data.LoadMnist(DataSplit.Test), 500);
        var counting = new CountingTransformer("Image");
        var pipeline = new TrivialEstimator<CountingTransformer>(counting).AppendCacheCheckpoint();
        var cached = pipeline.Fit(data).Transform(data);
        for (int epoch = 0; epoch < 3; epoch++)
            foreach (var batch in cached.GetBatches(128, ["Doubled"])) Assert.IsTrue(batch.RowCount > 0);
        Assert.AreEqual(500L, counting.RowsComputed);
    }

    [TestMethod]
    public void BatchesCoverTheViewInOrder()
    {
        var data = context.Data.LoadFromFeatures(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), new int[10], 1);
        var seen = new List<float>();
        foreach (var batch in data.GetBatches(4)) seen.AddRange(batch["Features"].data<float>().ToArray());
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), seen);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.GetRows(8, 5));
    }

    [TestMethod]
    public void PreviewShowsSchemaRowsAndLabelDistribution()
    {
        var data = context.Data.TakeRows(context.Data.LoadFashionMnist(DataSplit.Test), 100);
        var preview = data.Preview(maxRows: 2);
        Assert.AreEqual(2, preview.Rows.Count);
        Assert.AreEqual("9 (Ankle boot)", preview.Rows[0]["Label"]);
        StringAssert.StartsWith(preview.Rows[0]["Image"], "[1×28×28] min 0 max");
        Assert.AreEqual(10, preview.LabelDistribution!.Count);
        Assert.AreEqual(100L, preview.LabelDistribution.Sum(d => d.Count));
        var text = preview.ToString();
        StringAssert.Contains(text, "100 rows; columns: Image (byte[1, 28, 28]), Label (Key<10>)");
        StringAssert.Contains(text, "label distribution: T-shirt/top: ");
    }

    [TestMethod]
    public void SchemaRejectsDuplicateColumnsAndNamesUnknownOnes()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new DataViewSchema([new("A", ColumnType.Key(2)), new("A", ColumnType.Key(3))]));
        StringAssert.Contains(e.Message, "Column 'A' appears twice");
        var data = context.Data.LoadFromFeatures([1], [0], 1);
        var unknown = Assert.ThrowsExactly<ArgumentException>(() => data.GetRows(0, 1, ["Pixels"]));
        StringAssert.Contains(unknown.Message, "Unknown column 'Pixels'");
    }
}
