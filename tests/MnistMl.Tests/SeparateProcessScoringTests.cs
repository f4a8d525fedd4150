using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Trainers;
using MnistMl.Transforms;

namespace MnistMl.Tests;

/// <summary>
/// A model saved with ml.Model.Save scores in another process that references only ML.NET, ONNX Runtime and
/// MnistMl's core (tests/MnistMl.ScoringProcess): the same predictions, and neither TorchSharp nor libtorch loaded.
/// </summary>
[TestClass]
public sealed class SeparateProcessScoringTests
{
    [TestMethod]
    public void SavedModelScoresWithoutTorchSharpInAnotherProcess()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.TakeRows(ml.Data.LoadMnist(DataSplit.Train), 1500);
        var model = ml.Transforms.ScalePixels("Image")
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image", new Features.HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }))
            .Append(ml.MulticlassClassification.Trainers.Mlp(featureColumnName: "Hog", hiddenUnits: [32], options: new TrainingOptions { Epochs = 2, Seed = 1 }))
            .Fit(train);
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "hog-mlp.zip");
        ml.Model.Save(model, train.Schema, path);

        string mnist = DataSetLocation.MnistDirectory();
        string output = Path.Combine(folder.Path, "scores.tsv");
        var run = Process.Start(new ProcessStartInfo("dotnet", [ScoringProcessPath(), path, Path.Combine(mnist, "t10k-images-idx3-ubyte"),
            Path.Combine(mnist, "t10k-labels-idx1-ubyte"), "200", output]) { RedirectStandardError = true })!;
        string errors = run.StandardError.ReadToEnd();
        run.WaitForExit();
        Assert.AreEqual(0, run.ExitCode, errors);

        var lines = File.ReadAllLines(output);
        Assert.AreEqual("engine:", lines[^1], "the scoring process loaded no TorchSharp or libtorch");
        var test = ml.Data.TakeRows(ml.Data.LoadMnist(DataSplit.Test), 200);
        var scored = model.Transform(test);
        var expectedScores = TestData.Vectors(scored, "Score");
        var expectedLabels = TestData.Keys(scored, "PredictedLabel");
        Assert.HasCount(201, lines);
        for (int r = 0; r < 200; r++)
        {
            var fields = lines[r].Split('\t');
            Assert.AreEqual(expectedLabels[r], uint.Parse(fields[0], CultureInfo.InvariantCulture), $"row {r}");
            TestData.Near(expectedScores[r], fields[1..].Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray(), 1e-4, 1e-5, $"row {r}");
        }
    }

    /// <summary>The scoring program, built next to this test assembly's configuration.</summary>
    private static string ScoringProcessPath()
    {
        // …/tests/MnistMl.Tests/bin/<configuration>/<framework>/ → …/tests/MnistMl.ScoringProcess/bin/<configuration>/<framework>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = here.Name, configuration = here.Parent!.Name;
        var tests = here.Parent!.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(tests, "MnistMl.ScoringProcess", "bin", configuration, framework, "MnistMl.ScoringProcess.dll");
        Assert.IsTrue(File.Exists(path), $"{path} is built with the tests");
        return path;
    }
}
