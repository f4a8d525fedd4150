using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Trainers;

/// <summary>
/// A data view's feature and label columns read once into libtorch tensors: features float32 [rows, dims…], labels
/// int64 class indices [rows]. Training then takes its batches by indexing these tensors with a permutation, as
/// the fastest PyTorch loop does, with nothing converted per batch.
/// </summary>
internal sealed class FeatureTensors : IDisposable
{
    private FeatureTensors(Tensor features, Tensor? labels, long rows)
    {
        Features = features;
        Labels = labels;
        RowCount = rows;
    }

    public Tensor Features { get; }
    public Tensor? Labels { get; }
    public long RowCount { get; }

    /// <summary>
    /// Reads <paramref name="featureColumn"/> (and <paramref name="labelColumn"/> when given: a key column of
    /// <paramref name="classCount"/> classes); <paramref name="part"/> names the data in errors.
    /// </summary>
    public static FeatureTensors Read(IDataView data, string featureColumn, VectorDataViewType featureType, string? labelColumn, int classCount, string part)
    {
        var feature = data.Schema[featureColumn];
        var label = labelColumn is null ? (DataViewSchema.Column?)null : data.Schema[labelColumn];
        int length = featureType.Size;
        var features = new List<float[]>();
        var labels = new List<long>();
        const int chunk = 4096;
        var buffer = new float[chunk * length];
        int inBuffer = 0;
        long row = 0;
        using (var cursor = data.GetRowCursor(label is { } l ? [feature, l] : [feature]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(feature);
            ValueGetter<uint>? getLabel = label is { } lc ? cursor.GetGetter<uint>(lc) : null;
            VBuffer<float> value = default;
            uint key = 0;
            while (cursor.MoveNext())
            {
                getFeatures(ref value);
                if (value.Length != length)
                    throw new InvalidDataException($"Row {row} of the {part} data has {value.Length} values in column '{featureColumn}'; {length} were expected.");
                value.CopyTo(buffer.AsSpan(inBuffer * length, length));
                if (getLabel is not null)
                {
                    getLabel(ref key);
                    if (key == 0 || key > classCount)
                        throw new InvalidDataException($"Row {row} of the {part} data has {(key == 0 ? "a missing label" : $"label key {key}")} in column '{labelColumn}' (classes 1–{classCount}).");
                    labels.Add(key - 1);
                }
                if (++inBuffer == chunk)
                {
                    features.Add(buffer);
                    buffer = new float[chunk * length];
                    inBuffer = 0;
                }
                row++;
            }
        }
        var all = new float[row * length];
        long offset = 0;
        foreach (var block in features)
        {
            block.CopyTo(all, offset);
            offset += block.Length;
        }
        Array.Copy(buffer, 0, all, offset, inBuffer * length);
        long[] shape = [row, .. featureType.Dimensions.Select(d => (long)d)];
        var x = torch.tensor(all, shape);
        var y = labelColumn is null ? null : torch.tensor(labels.ToArray());
        return new FeatureTensors(x, y, row);
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels?.Dispose();
    }
}
