using System.Diagnostics;
using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Onnx;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;
using SkiaSharp;

namespace MnistMl.Tests;

/// <summary>
/// Seeded mutation fuzzing of the file formats MnistMl reads, through the real loaders: 1,000 mutants each of an
/// IDX file (raw and gzip), an OpenML CSV, a PNG image, a saved model and an exported ONNX model. Every outcome
/// must be a result or an <see cref="InvalidDataException"/> naming the file — never another exception, a crash,
/// a case running longer than <see cref="CaseTimeLimit"/>, or the process growing past <see cref="ResidentLimit"/>.
/// </summary>
[TestClass]
public sealed class FuzzTests
{
    private const int Mutants = 1000;
    private static readonly TimeSpan CaseTimeLimit = TimeSpan.FromSeconds(10);
    private const long ResidentLimit = 4L << 30;

    private static void Fuzz(string name, byte[] seedFile, Action<string> load, int seed)
    {
        using var folder = new TempFolder();
        var mutator = new Mutator(seedFile, seed);
        int accepted = 0, refused = 0;
        for (int i = 0; i < Mutants; i++)
        {
            var bytes = mutator.Next();
            string path = Path.Combine(folder.Path, $"{i:D4}-{name}");
            File.WriteAllBytes(path, bytes);
            var clock = Stopwatch.StartNew();
            var run = Task.Run(() => load(path));
            bool finished;
            try { finished = run.Wait(CaseTimeLimit); }
            catch (AggregateException) { finished = true; }
            if (!finished)
                Assert.Fail($"{name} mutant {i} ({bytes.Length} bytes, seed {seed}) ran longer than {CaseTimeLimit.TotalSeconds} s.");
            if (run.Exception?.InnerException is { } e)
            {
                if (e is not InvalidDataException || !e.Message.Contains(path, StringComparison.Ordinal))
                    Assert.Fail($"{name} mutant {i} (seed {seed}): {e.GetType().Name} '{e.Message}' is not an InvalidDataException naming the file.\n{e}");
                refused++;
            }
            else accepted++;
            long resident = Process.GetCurrentProcess().WorkingSet64;
            Assert.IsTrue(resident < ResidentLimit, $"{name} mutant {i}: resident memory {resident:N0} bytes");
            File.Delete(path);
        }
        // Most mutants must be refused: a loader that accepts everything checks nothing.
        Assert.IsTrue(refused > Mutants / 2, $"{name}: only {refused} of {Mutants} mutants refused ({accepted} loaded)");
    }

    [TestMethod]
    public void IdxFiles() => Fuzz("images-idx3-ubyte", FixtureFiles.IdxImages(), path => IdxFile.Read(path), seed: 1);

    [TestMethod]
    public void GzipIdxFiles() => Fuzz("images-idx3-ubyte.gz", FixtureFiles.Gzip(FixtureFiles.IdxImages()), path => IdxFile.Read(path), seed: 2);

    [TestMethod]
    public void OpenMlCsvFiles()
    {
        string header = string.Join(",", Enumerable.Range(1, 16).Select(i => $"pixel{i}").Append("class"));
        string csv = header + "\n" + string.Join("\n", new[] { "a", "b", "c", "a" }.Select((l, r) => string.Join(",", Enumerable.Range(r * 3, 16).Select(v => v.ToString()).Append(l)))) + "\n";
        Fuzz("data.csv", System.Text.Encoding.UTF8.GetBytes(csv), path => TestData.Vectors(new MLContext().Data.LoadOpenMlCsv(path), "Image"), seed: 3);
    }

    [TestMethod]
    public void PngImages()
    {
        using var bitmap = new SKBitmap(12, 10, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 12; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(20 * x), (byte)(25 * y), 90));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        Fuzz("image.png", png.ToArray(), path => TestData.Vectors(new MLContext().Data.LoadImageFiles([path], ImageColorMode.Grayscale, 28, 28), "Image"), seed: 4);
    }

    private static readonly Lazy<(byte[] Model, byte[] Onnx)> Tiny = new(() =>
    {
        var definition = new PipelineDefinition
        {
            Name = "fuzz",
            Data = new DataSection { Dataset = "mnist", TrainRows = 200, Seed = 1 },
            Transforms = [new ScalePixelsStep { Output = "Image" }, new FlattenStep { Output = "Features", Input = "Image" }],
            FeatureColumn = "Features",
            Network = new NetworkSpec(new DenseLayer(8, "relu"), new DenseLayer(10, "softmax")),
            Training = new TrainingSection { Epochs = 1, Seed = 1 },
        };
        using var folder = new TempFolder();
        using var pipeline = PipelineRunner.Run(definition).Pipeline;
        string model = Path.Combine(folder.Path, "fuzz.zip"), onnx = Path.Combine(folder.Path, "fuzz.onnx");
        pipeline.Save(model);
        Onnx.OnnxExporter.Export(pipeline.Model, pipeline.InputSchema, onnx);
        return (File.ReadAllBytes(model), File.ReadAllBytes(onnx));
    });

    [TestMethod]
    public void SavedModels() => Fuzz("model.zip", Tiny.Value.Model, path => TrainedPipeline.Load(path).Dispose(), seed: 5);

    [TestMethod]
    public void OnnxModels() => Fuzz("model.onnx", Tiny.Value.Onnx, path => OnnxSessions.Open(path).Dispose(), seed: 6);
}
