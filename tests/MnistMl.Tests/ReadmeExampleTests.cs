using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Features;

namespace MnistMl.Tests;

/// <summary>The README's data example, as written there, and the column types its comments state.</summary>
[TestClass]
public sealed class ReadmeExampleTests
{
    [TestMethod]
    public void DataExampleRunsAndGivesTheTypesItStates()
    {
        // --- README "Data: ML.NET data views" ---
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFashionMnist(DataSplit.Train);                  // Image Vector<Single, 1, 28, 28>, Label Key<UInt32, 10> "T-shirt/top" …
        var split = ml.Data.StratifiedTrainTestSplit(data, testFraction: 0.1, seed: 1);
        var pipeline = ml.Transforms.ScalePixels("Image")                      // x / 255
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image",
                new HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }))   // Vector<Single, 392>
            .Append(ml.Transforms.NormalizeMeanVariance("Hog"))                 // ML.NET's, statistics learned in Fit
            .AppendCacheCheckpoint(ml);
        var model = pipeline.Fit(split.TrainSet);
        var validation = model.Transform(split.TestSet);                        // lazy: rows are computed as they are read
        // ---

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), data.Schema["Image"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 10), data.Schema["Label"].Type);
        Assert.AreEqual("T-shirt/top", data.Schema["Label"].GetClassNames()[0]);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 392), validation.Schema["Hog"].Type);
        // 10 % of each of the ten classes of 6,000 images.
        Assert.AreEqual(6_000L, split.TestSet.GetRowCount());
        var hog = TestData.Vectors(ml.Data.TakeRows(validation, 200), "Hog");
        Assert.IsTrue(hog.All(row => row.All(float.IsFinite)));
    }
}
