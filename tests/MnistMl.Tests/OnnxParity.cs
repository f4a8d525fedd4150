using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MnistMl.Tests;

/// <summary>An exported model run through ONNX Runtime against the ML.NET pipeline it came from.</summary>
internal static class OnnxParity
{
    /// <summary>
    /// Scores the first <paramref name="rows"/> MNIST test images with <paramref name="model"/> and with the ONNX file
    /// (input "image" [N, 1, 28, 28]): probabilities [rows, classes] within 1e-4, the same labels. Returns the pipeline's scores.
    /// </summary>
    public static float[][] AssertMatches(ITransformer model, string onnxPath, int rows, int classes = 10)
    {
        var test = TestData.MnistTestRows(rows);
        var scored = model.Transform(test);
        var expectedScores = TestData.Vectors(scored, "Score");
        var expectedLabels = TestData.Keys(scored, "PredictedLabel");
        var pixels = TestData.Vectors(test, "Image").SelectMany(r => r).ToArray();

        using var session = new InferenceSession(onnxPath);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", new DenseTensor<float>(pixels, [rows, 1, 28, 28]))]);
        var probabilities = results.Single(r => r.Name == "probabilities").AsTensor<float>();
        var labels = results.Single(r => r.Name == "label").AsTensor<long>();
        CollectionAssert.AreEqual(new[] { rows, classes }, probabilities.Dimensions.ToArray());
        CollectionAssert.AreEqual(new[] { rows }, labels.Dimensions.ToArray());

        double difference = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < classes; c++)
                difference = Math.Max(difference, Math.Abs(expectedScores[r][c] - probabilities[r, c]));
        Assert.IsTrue(difference <= 1e-4, $"largest probability difference {difference:G3}");
        // PredictedLabel is a 1-based key; the ONNX label is the 0-based class index.
        CollectionAssert.AreEqual(expectedLabels.Select(k => (long)k - 1).ToArray(), labels.ToArray());
        return expectedScores;
    }
}
