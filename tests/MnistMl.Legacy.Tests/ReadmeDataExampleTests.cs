using MnistMl.Data;
using MnistMl.Features;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Transforms;

namespace MnistMl.Tests;

/// <summary>The data-pipeline example of the README, run as written (on a 2,000-image subset).</summary>
[TestClass]
public sealed class ReadmeDataExampleTests
{
    [TestMethod]
    public void ExamplePipelineProducesHogFeaturesAndLabels()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(ml.Data.LoadFashionMnist(DataSplit.Train), 2000);
        var split = ml.Data.TrainValidationSplit(data, validationFraction: 0.1);
        var pipeline = ml.Transforms.ScalePixels("Image")
            .Append(ml.Transforms.NormalizeMeanVariance("Image", scope: NormalizationScope.Global))
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image",
                new HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }))
            .Append(ml.Transforms.Categorical.OneHotEncoding("LabelOneHot", "Label"))
            .AppendCacheCheckpoint();
        var model = pipeline.Fit(split.TrainSet);
        var validation = model.Transform(split.TestSet);
        StringAssert.Contains(validation.Preview(maxRows: 3).ToString(), "Hog (float[392])");
        long rows = 0;
        foreach (var batch in validation.GetBatches(256, ["Hog", "Label"]))
        {
            CollectionAssert.AreEqual(new long[] { batch.RowCount, 392 }, batch["Hog"].shape);
            Assert.AreEqual(ScalarType.Int64, batch["Label"].dtype);
            rows += batch.RowCount;
        }
        Assert.AreEqual(split.TestSet.RowCount, rows);
        Assert.IsTrue(Math.Abs(rows - 200) <= 5, $"{rows} validation rows: 10 % of each class, rounded");
    }
}
