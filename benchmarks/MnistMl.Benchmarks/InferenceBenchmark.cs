using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MnistMl.Data;
using MnistMl.Onnx;
using MnistMl.Pipelines;

namespace MnistMl.Benchmarks;

/// <summary>
/// Inference throughput (images/s) on the MNIST test set of the quickstart pipeline (briefly trained: speed does not
/// depend on the weights), run natively on TorchSharp (libtorch 2.10, eager) and, exported, on ONNX Runtime — at batch 256 (all 10,000 test
/// images) and batch 1 (the first 2,000, one call each), one thread each.
/// </summary>
internal static class InferenceBenchmark
{
    private const int SingleImages = 2000;

    public static int Run()
    {
        var definition = PipelineDefinition.Load(Path.Combine(Python.RepositoryRoot(), "pipelines", "quickstart.json"));
        definition = definition with { Data = definition.Data with { TrainRows = 5000 }, Training = definition.Training with { Epochs = 1, Threads = 1 } };
        using var pipeline = PipelineRunner.Run(definition).Pipeline;
        var onnxPath = Path.Combine(Path.GetTempPath(), $"mnistml-bench-{Environment.ProcessId}.onnx");
        OnnxExporter.Export(pipeline.Model, pipeline.InputSchema, onnxPath);
        var test = IdxFile.Read(Path.Combine(DataSetLocation.MnistDirectory(), "t10k-images-idx3-ubyte"));
        var ml = new MLContext(seed: 1);
        var testView = ml.Data.LoadMnist(DataSplit.Test);
        var pixels = test.Data.Select(b => (float)b).ToArray();

        // The model's lazy scoring runs the network on batches of 256 rows as a cursor reads them.
        double torchBatch = Throughput.BestOf3(test.Count, () => ReadScores(pipeline.Transform(testView)));
        var engine = ml.Model.CreatePredictionEngine<Digit, Prediction>(pipeline.Model);
        double torchSingle = Throughput.BestOf3(SingleImages, () => { for (int i = 0; i < SingleImages; i++) engine.Predict(new Digit { Image = pixels[(i * 784)..((i + 1) * 784)] }); });

        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnxPath, options);
        double onnxBatch = Throughput.BestOf3(test.Count, () =>
        {
            for (int start = 0; start < test.Count; start += 256)
            {
                int n = Math.Min(256, test.Count - start);
                Score(session, pixels[(start * 784)..((start + n) * 784)], n);
            }
        });
        double onnxSingle = Throughput.BestOf3(SingleImages, () =>
        {
            for (int i = 0; i < SingleImages; i++) Score(session, pixels[(i * 784)..((i + 1) * 784)], 1);
        });
        File.Delete(onnxPath);

        Console.WriteLine("quickstart CNN on the MNIST test set, one thread; best of 3");
        Console.WriteLine($"{"batch",-8} {"TorchSharp pipeline images/s",30} {"ONNX Runtime images/s",24} {"ORT / TorchSharp",18}");
        Console.WriteLine($"{"256",-8} {torchBatch,30:N0} {onnxBatch,24:N0} {onnxBatch / torchBatch,18:F2}");
        Console.WriteLine($"{"1",-8} {torchSingle,30:N0} {onnxSingle,24:N0} {onnxSingle / torchSingle,18:F2}");
        return 0;
    }

    private sealed class Digit
    {
        [VectorType(1, 28, 28)]
        public float[] Image { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }

    private static void ReadScores(IDataView scored)
    {
        var score = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor([score]);
        var getter = cursor.GetGetter<VBuffer<float>>(score);
        VBuffer<float> value = default;
        while (cursor.MoveNext()) getter(ref value);
    }

    private static void Score(InferenceSession session, float[] pixels, int rows)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [rows, 1, 28, 28]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { ["image"] = input }, ["probabilities"]);
    }
}
