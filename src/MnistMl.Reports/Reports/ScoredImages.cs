using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Reports;

/// <summary>
/// A data set scored by a trained pipeline, row by row: each row's raw image (the data set's pixels, before any
/// transform), its true class, the predicted class and the predicted class's probability.
/// </summary>
public sealed class ScoredImages
{
    private ScoredImages(float[][] images, int channels, int height, int width, int[] trueClasses, int[] predicted, float[] confidence)
    {
        Images = images;
        (Channels, Height, Width) = (channels, height, width);
        TrueClasses = trueClasses;
        PredictedClasses = predicted;
        Confidence = confidence;
    }

    public IReadOnlyList<float[]> Images { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<int> TrueClasses { get; }
    public IReadOnlyList<int> PredictedClasses { get; }

    /// <summary>The probability the model gave its predicted class.</summary>
    public IReadOnlyList<float> Confidence { get; }

    public int Count => TrueClasses.Count;

    /// <summary>
    /// Scores <paramref name="data"/> (with an image column <paramref name="imageColumn"/>, Vector&lt;Single, C, H, W&gt;,
    /// and the label column) with <paramref name="model"/>, whose output has ML.NET's Score column.
    /// </summary>
    public static ScoredImages Score(ITransformer model, IDataView data, string labelColumn = "Label", string imageColumn = "Image")
    {
        var image = data.Schema.GetColumnOrNull(imageColumn)
            ?? throw new ArgumentException($"The data has no image column '{imageColumn}' to show (it has {string.Join(", ", data.Schema.Select(c => c.Name))}).");
        if (image.Type is not VectorDataViewType { ItemType: var item, Dimensions: var dims } || item != NumberDataViewType.Single || dims.Length != 3)
            throw new ArgumentException($"Column '{imageColumn}' is {image.Type}; a report shows images Vector<Single, C, H, W>.");
        if (dims[0] is not (1 or 3)) throw new ArgumentException($"Column '{imageColumn}' has {dims[0]} channels; a report shows gray (1) or RGB (3) images.");
        var images = data.GetColumn<VBuffer<float>>(imageColumn).Select(v => v.DenseValues().ToArray()).ToArray();
        var scored = model.Transform(data);
        var labels = scored.GetColumn<uint>(labelColumn).Select(k => (int)k - 1).ToArray();
        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        var predicted = new int[scores.Length];
        var confidence = new float[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            int best = 0;
            for (int c = 1; c < scores[i].Length; c++) if (scores[i][c] > scores[i][best]) best = c;
            (predicted[i], confidence[i]) = (best, scores[i][best]);
        }
        return new ScoredImages(images, dims[0], dims[1], dims[2], labels, predicted, confidence);
    }

    /// <summary>The rows predicted wrongly, the most confident first.</summary>
    public IEnumerable<int> MostConfidentMistakes() =>
        Enumerable.Range(0, Count).Where(i => PredictedClasses[i] != TrueClasses[i]).OrderByDescending(i => Confidence[i]).ThenBy(i => i);

    /// <summary>The first <paramref name="perClass"/> rows of each true class.</summary>
    public IEnumerable<(int Class, IReadOnlyList<int> Rows)> SamplesPerClass(int classCount, int perClass) =>
        Enumerable.Range(0, classCount).Select(c => (c, (IReadOnlyList<int>)Enumerable.Range(0, Count).Where(i => TrueClasses[i] == c).Take(perClass).ToList()));
}
