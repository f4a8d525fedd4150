using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MnistMl.Data;
using MnistMl.Trainers.Transfer;
using MnistMl.Transfer;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Benchmarks;

/// <summary>
/// Frozen-backbone featurization throughput (images/s) on 2,000 Fashion-MNIST test images prepared for the shipped
/// backbone (padded to 32×32, RGB, ImageNet-normalized): ML.NET's ApplyOnnxModel through <c>ApplyBackbone</c> (ONNX
/// Runtime, one row per run, as ML.NET feeds it), ONNX Runtime directly on batches of 256 (the cut graph), and
/// TorchSharp eager (TorchVision's MobileNetV2 with the imported weights, inference mode) on batches of 256 and of 1.
/// Both engines at their default threads (all cores); best of 3.
/// </summary>
internal static class FeaturizationBenchmark
{
    private const int Images = 2000;

    public static int Run(string[] arguments)
    {
        string path = arguments.FirstOrDefault() ?? Path.Combine(Python.RepositoryRoot(), "models", "mobilenetv2-mnist.onnx");
        var backbone = OnnxBackbone.Load(path);
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.TakeRows(ml.Data.LoadFashionMnist(DataSplit.Test), Images);
        var prepared = ml.Transforms.ScalePixels("Image").Append(ml.Transforms.PadImages("Image", padding: 2))
            .Append(ml.Transforms.ConvertGrayscaleToRgb("Image")).Append(ml.Transforms.NormalizeImageNet("Image"));
        var images = ml.Data.Cache(prepared.Fit(raw).Transform(raw));
        var pixels = Read(images, "Image");
        int rowSize = 3 * backbone.InputHeight * backbone.InputWidth;

        var applyBackbone = ml.Transforms.ApplyBackbone("Features", backbone, "Image").Fit(images);
        double mlNet = Throughput.BestOf3(Images, () => Read(applyBackbone.Transform(images), "Features"));

        using var session = new InferenceSession(backbone.BatchFeatureModel());
        double ortBatch = Throughput.BestOf3(Images, () =>
        {
            for (int start = 0; start < Images; start += 256)
            {
                int n = Math.Min(256, Images - start);
                using var input = OrtValue.CreateTensorValueFromMemory(pixels[(start * rowSize)..((start + n) * rowSize)], [n, 3, backbone.InputHeight, backbone.InputWidth]);
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { [backbone.InputName] = input }, ["features"]);
            }
        });

        using var features = new MobileNetV2Features(MobileNetV2Weights.InferAlpha(backbone));
        MobileNetV2Weights.Import(features, backbone);
        features.eval();
        using var all = torch.tensor(pixels, [Images, 3, backbone.InputHeight, backbone.InputWidth]);
        double Torch(int batch) => Throughput.BestOf3(Images, () =>
        {
            using var noGrad = torch.no_grad();
            for (int start = 0; start < Images; start += batch)
            {
                using var scope = torch.NewDisposeScope();
                features.call(all.narrow(0, start, Math.Min(batch, Images - start))).mean([2, 3]);
            }
        });
        double torchBatch = Torch(256), torchSingle = Torch(1);

        Console.WriteLine($"{Path.GetFileName(path)}: [3, {backbone.InputHeight}, {backbone.InputWidth}] → [{backbone.FeatureCount}], {Images:N0} Fashion-MNIST test images; images/s, best of 3; {Environment.ProcessorCount} cores");
        Console.WriteLine("| engine | batch | images/s |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| ML.NET ApplyOnnxModel (ApplyBackbone), ONNX Runtime | 1 (per row) | {mlNet:N0} |");
        Console.WriteLine($"| ONNX Runtime, cut graph | 256 | {ortBatch:N0} |");
        Console.WriteLine($"| TorchSharp eager, imported weights | 256 | {torchBatch:N0} |");
        Console.WriteLine($"| TorchSharp eager, imported weights | 1 | {torchSingle:N0} |");
        return 0;
    }

    private static float[] Read(IDataView data, string column)
    {
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        var all = new List<float>();
        while (cursor.MoveNext())
        {
            getter(ref value);
            all.AddRange(value.DenseValues());
        }
        return [.. all];
    }
}
