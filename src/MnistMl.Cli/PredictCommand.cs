using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MnistMl.Data;
using MnistMl.Onnx;
using MnistMl.Pipelines;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>
/// `mnistml predict MODEL FILE…`: classifies image files (PNG, JPEG, BMP, GIF; decoded by ImageAnalytics, converted
/// to the model's channels and resized to its input size) or the images of IDX files.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file written by `train`." };
        var files = new Argument<FileInfo[]>("files") { Description = "Image files or IDX image files.", Arity = ArgumentArity.OneOrMore };
        var limit = new Option<int>("--limit") { Description = "Images to classify per IDX file.", DefaultValueFactory = _ => 10 };
        var onnx = new Option<bool>("--onnx") { Description = "The model is an exported .onnx file: run it with ONNX Runtime." };
        var command = new Command("predict", "Predict the class of image files or IDX images with a model file (or, with --onnx, an exported ONNX model).") { model, files, limit, onnx };
        command.SetAction(r => CommandRunner.Run(() => r.GetValue(onnx)
            ? RunOnnx(r.GetValue(model)!, r.GetValue(files)!, r.GetValue(limit))
            : Run(r.GetValue(model)!, r.GetValue(files)!, r.GetValue(limit))));
        return command;
    }

    /// <summary>Classifies with an exported ONNX model: uint8 or float32 pixels [N, C, H, W] in, probabilities and label out.</summary>
    private static int RunOnnx(FileInfo modelFile, FileInfo[] files, int limit)
    {
        if (limit <= 0) throw new ArgumentOutOfRangeException("--limit", limit, "--limit must be positive.");
        var proto = OnnxModelFile.Read(modelFile.FullName);
        using var session = OnnxSessions.Open(modelFile.FullName);
        var (inputName, input) = session.InputMetadata.First();
        if (input.Dimensions.Length != 4 || input.Dimensions.Skip(1).Any(d => d <= 0))
            throw new InvalidOperationException($"ONNX model '{modelFile.FullName}' input '{inputName}' is {OnnxSessions.ShapeText(input)}; predict takes image models [N, C, H, W].");
        int[] dims = [input.Dimensions[1], input.Dimensions[2], input.Dimensions[3]];
        var table = NewTable();
        IReadOnlyList<string>? classNames = null;
        foreach (var file in files)
            foreach (var (name, row) in Rows(file.FullName, dims, limit))
            {
                long[] shape = [1, .. dims.Select(d => (long)d)];
                using var feed = input.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.UInt8
                    ? OrtValue.CreateTensorValueFromMemory(row.Select(v => (byte)Math.Clamp(MathF.Round(v), 0, 255)).ToArray(), shape)
                    : OrtValue.CreateTensorValueFromMemory(row, shape);
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { [inputName] = feed }, [OnnxExporter.ProbabilitiesOutput, OnnxExporter.LabelOutput]);
                var scores = outputs[0].GetTensorDataAsSpan<float>().ToArray();
                classNames ??= OnnxModelFile.ClassNames(proto, scores.Length, modelFile.FullName);
                AddRow(table, name, (int)outputs[1].GetTensorDataAsSpan<long>()[0], scores, classNames);
            }
        AnsiConsole.Write(table);
        return 0;
    }

    private static Table NewTable() =>
        new Table().Border(TableBorder.Rounded).AddColumn("input").AddColumn("prediction").AddColumn(new TableColumn("probability").RightAligned()).AddColumn("top 3");

    private static void AddRow(Table table, string name, int label, float[] scores, IReadOnlyList<string> classNames)
    {
        var top = scores.Select((p, c) => (p, c)).OrderByDescending(t => t.p).Take(3)
            .Select(t => $"{classNames[t.c]} {t.p.ToString("P1", CultureInfo.InvariantCulture)}");
        table.AddRow(Markup.Escape(name), Markup.Escape(classNames[label]), scores[label].ToString("P2", CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", top)));
    }

    private static int Run(FileInfo modelFile, FileInfo[] files, int limit)
    {
        if (limit <= 0) throw new ArgumentOutOfRangeException("--limit", limit, "--limit must be positive.");
        using var pipeline = TrainedPipeline.Load(modelFile.FullName);
        var image = pipeline.InputSchema.Where(c => c.Type is VectorDataViewType { Dimensions.Length: 3 }).Cast<DataViewSchema.Column?>().FirstOrDefault()
            ?? throw new InvalidOperationException("The model's input has no image column [channels, height, width]: predict image files with an image model.");
        var dims = ((VectorDataViewType)image.Type).Dimensions.ToArray();
        var rows = files.SelectMany(f => Rows(f.FullName, dims, limit)).ToList();
        var ml = new MLContext();
        // The label column is not read when predicting; class 0 completes the schema the model was trained on.
        var data = ml.Data.LoadImages(rows.SelectMany(r => r.Row).ToArray(), new int[rows.Count], (dims[0], dims[1], dims[2]), pipeline.ClassNames);
        if (image.Name != "Image") data = ml.Transforms.CopyColumns(image.Name, "Image").Fit(data).Transform(data);
        var scored = pipeline.Transform(data);
        var table = NewTable();
        using var cursor = scored.GetRowCursor([scored.Schema["Score"], scored.Schema["PredictedLabel"]]);
        var getScore = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        var getLabel = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
        VBuffer<float> score = default;
        uint key = 0;
        for (int r = 0; cursor.MoveNext(); r++)
        {
            getScore(ref score);
            getLabel(ref key);
            AddRow(table, rows[r].Name, (int)key - 1, score.DenseValues().ToArray(), pipeline.ClassNames);
        }
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>The rows a file contributes as float pixels 0–255 of the model's [channels, height, width].</summary>
    private static IEnumerable<(string Name, float[] Row)> Rows(string path, int[] dims, int limit)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Input file '{path}' does not exist.", path);
        int channels = dims[0], height = dims[1], width = dims[2];
        // Opened once and read whole: a FIFO or <(…) can be read only once, so the format is told from the bytes.
        var (content, seekable) = ReadOnce(path);
        if (IsIdx(content))
        {
            var idx = IdxFile.Parse(content, path);
            if (idx.Dimensions is not [var count, var rows, var columns] || rows != height || columns != width || channels != 1)
                throw new InvalidDataException($"IDX file '{path}' holds [{string.Join(", ", idx.Dimensions)}] images; the model takes [{string.Join(", ", dims)}].");
            if (count == 0) throw new InvalidDataException($"IDX file '{path}' holds no images: there is nothing to classify.");
            int size = rows * columns;
            for (int i = 0; i < Math.Min(count, limit); i++)
                yield return ($"{Path.GetFileName(path)}[{i}]", idx.Data[(i * size)..((i + 1) * size)].Select(b => (float)b).ToArray());
            yield break;
        }
        var ml = new MLContext();
        // ImageAnalytics opens images by path: a pipe's bytes go through a temporary copy.
        string imagePath = path;
        if (!seekable)
        {
            imagePath = Path.Combine(Path.GetTempPath(), $"mnistml-{Guid.NewGuid():N}-{Path.GetFileName(path)}");
            File.WriteAllBytes(imagePath, content);
        }
        try
        {
            var row = ImageRow(ml, imagePath, channels, height, width);
            yield return (Path.GetFileName(path), row);
        }
        finally
        {
            if (!seekable) File.Delete(imagePath);
        }
    }

    private static float[] ImageRow(MLContext ml, string path, int channels, int height, int width)
    {
        var image = ml.Data.LoadImageFiles([path], channels == 1 ? ImageColorMode.Grayscale : ImageColorMode.Rgb, height, width);
        using var cursor = image.GetRowCursor([image.Schema["Image"]]);
        var getter = cursor.GetGetter<VBuffer<float>>(image.Schema["Image"]);
        VBuffer<float> pixels = default;
        cursor.MoveNext();
        getter(ref pixels);
        return pixels.DenseValues().ToArray();
    }

    /// <summary>The whole input, read through one open (at most IdxFile.MaximumBytes), and whether it is a regular, seekable file.</summary>
    private static (byte[] Content, bool Seekable) ReadOnce(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        for (int n; (n = stream.Read(chunk)) > 0;)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > IdxFile.MaximumBytes)
                throw new InvalidDataException($"Input file '{path}' is larger than {IdxFile.MaximumBytes:N0} bytes (IdxFile.MaximumBytes).");
        }
        return (buffer.ToArray(), stream.CanSeek);
    }

    /// <summary>By content, not name: an IDX magic number (0, 0, 0x08 unsigned bytes) or gzip's (IdxFile decompresses it).</summary>
    private static bool IsIdx(byte[] header) =>
        header.Length >= 4 && header[0] == 0 && header[1] == 0 && header[2] == 0x08
        || header.Length >= 2 && header[0] == 0x1f && header[1] == 0x8b;
}
