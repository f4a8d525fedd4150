using Microsoft.ML.OnnxRuntime;
using MnistMl.Transforms;
using System.CommandLine;
using System.Globalization;
using MnistMl.Data;
using MnistMl.Imaging;
using MnistMl.Pipelines;
using TorchSharp;
using static TorchSharp.torch;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>
/// `mnistml predict MODEL FILE…`: classifies image files (PNG, JPEG, BMP; converted to the model's channels and
/// resized to its input size) or the images of IDX files.
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
        var type = new ColumnType(ScalarType.Byte, [input.Dimensions[1], input.Dimensions[2], input.Dimensions[3]]);
        var table = NewTable();
        IReadOnlyList<string>? classNames = null;
        foreach (var file in files)
            foreach (var (name, row) in Rows(file.FullName, type, limit))
            {
                long[] shape = [1, .. type.Dimensions];
                using var feed = input.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.UInt8
                    ? OrtValue.CreateTensorValueFromMemory(row, shape)
                    : OrtValue.CreateTensorValueFromMemory(row.Select(b => (float)b).ToArray(), shape);
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { [inputName] = feed }, ["probabilities", "label"]);
                var scores = outputs[0].GetTensorDataAsSpan<float>().ToArray();
                classNames ??= OnnxModelFile.ClassNames(proto, scores.Length);
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
        var engine = pipeline.CreatePredictionEngine();
        var input = pipeline.InputSchema.Single(c => !c.Type.IsKey);
        if (!input.Type.IsImage) throw new InvalidOperationException($"The model's input '{input.Name}' is {input.Type}, not an image: predict image files with an image model.");
        var table = NewTable();
        foreach (var file in files)
            foreach (var (name, row) in Rows(file.FullName, input.Type, limit))
            {
                var prediction = engine.Predict(row);
                AddRow(table, name, prediction.PredictedLabel, prediction.Scores, pipeline.ClassNames);
            }
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>The rows a file contributes, in the model's raw input type.</summary>
    private static IEnumerable<(string Name, byte[] Row)> Rows(string path, ColumnType type, int limit)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Input file '{path}' does not exist.", path);
        if (type.ElementType != ScalarType.Byte) throw new NotSupportedException($"The model's input is {type}; predict takes models trained on byte images.");
        long channels = type.Dimensions[0], height = type.Dimensions[1], width = type.Dimensions[2];
        if (IsIdx(path))
        {
            var idx = IdxFile.Read(path);
            if (idx.Dimensions is not [var count, var rows, var columns] || rows != height || columns != width || channels != 1)
                throw new InvalidDataException($"IDX file '{path}' holds [{string.Join(", ", idx.Dimensions)}] images; the model takes [{string.Join(", ", type.Dimensions)}].");
            int size = rows * columns;
            for (int i = 0; i < Math.Min(count, limit); i++)
                yield return ($"{Path.GetFileName(path)}[{i}]", idx.Data[(i * size)..((i + 1) * size)]);
            yield break;
        }
        var image = ImageFile.Read(path, channels == 1 ? ImageColorMode.Grayscale : ImageColorMode.Rgb);
        yield return (Path.GetFileName(path), ToModelInput(image, height, width));
    }

    /// <summary>By content, not name: an IDX magic number (0, 0, 0x08 unsigned bytes) or gzip's (IdxFile decompresses it).</summary>
    private static bool IsIdx(string path)
    {
        using var stream = File.OpenRead(path);
        var header = new byte[4];
        int read = stream.Read(header);
        return read == 4 && header[0] == 0 && header[1] == 0 && header[2] == 0x08
            || read >= 2 && header[0] == 0x1f && header[1] == 0x8b;
    }

    /// <summary>HWC bytes → CHW bytes of the model's size (bilinear resize when the size differs).</summary>
    private static byte[] ToModelInput(DecodedImage image, long height, long width)
    {
        using var scope = torch.NewDisposeScope();
        var hwc = torch.tensor(image.Pixels, [image.Height, image.Width, image.Channels]);
        var chw = hwc.permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32);
        if (image.Height != height || image.Width != width) chw = nn.functional.interpolate(chw, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return chw.round().clamp(0, 255).to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
    }
}
