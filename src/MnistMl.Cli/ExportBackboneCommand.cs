using System.CommandLine;
using MnistMl.IO;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MnistMl.Onnx;
using MnistMl.Pipelines;
using MnistMl.Trainers.Transfer;
using MnistMl.Transforms;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>
/// `mnistml export-backbone MODEL`: the MobileNetV2 of a trained model as a backbone file for transfer learning
/// (torchvision's layout, see <see cref="OnnxBackboneExporter"/>), with its provenance — in the file's metadata and
/// in a JSON file beside it, which adds the file's size and SHA-256.
/// </summary>
internal static class ExportBackboneCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file written by `train`, whose network starts with a MobileNetV2 layer." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "The .onnx file to write (default: the model's name with .onnx); its provenance goes beside it as .json." };
        var command = new Command("export-backbone", "Export the MobileNetV2 backbone of a model file to ONNX, for ApplyBackbone and fine-tuning.") { model, output };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var source = r.GetValue(model)!.FullName;
            string target = r.GetValue(output)?.FullName ?? Path.ChangeExtension(source, ".onnx");
            FileIdentity.CheckOutput(target, "The output", source);
            FileIdentity.CheckOutput(Path.ChangeExtension(target, ".json"), "The provenance file", source);
            using var pipeline = TrainedPipeline.Load(source);
            var network = pipeline.Network.Network;
            var features = network.Backbone
                ?? throw new ArgumentException($"Model '{source}': its network does not start with a MobileNetV2 layer.");
            if (!pipeline.Definition.Transforms.OfType<NormalizeImageNetStep>().Any())
                throw new ArgumentException($"Model '{source}': its pipeline has no NormalizeImageNet step, so the normalization the backbone expects is not known.");
            float[] mean = ChannelNormalizingTransformer.ImageNet.Mean.Select(v => (float)v).ToArray();
            float[] std = ChannelNormalizingTransformer.ImageNet.Std.Select(v => (float)v).ToArray();

            var definition = pipeline.Definition;
            var provenance = new JsonObject
            {
                ["pipeline"] = definition.Name,
                ["description"] = definition.Description,
                ["command"] = $"mnistml train pipelines/{definition.Name}.json -o {definition.Name}.zip && mnistml export-backbone {definition.Name}.zip -o {Path.GetFileName(target)}",
                ["dataset"] = definition.Data.Dataset,
                ["architecture"] = string.Create(CultureInfo.InvariantCulture, $"TorchVision mobilenet_v2, width multiplier {features.Alpha}"),
                ["input"] = $"[3, {network.InputShape[1]}, {network.InputShape[2]}], ImageNet mean and std",
                ["epochs"] = pipeline.History.Epochs.Count,
                ["test_accuracy"] = pipeline.Metrics.TryGetValue("test_micro_accuracy", out var accuracy) ? accuracy : null,
                ["training_seconds"] = pipeline.Metrics.TryGetValue("training_seconds", out var seconds) ? Math.Round(seconds) : null,
                ["parameters"] = pipeline.Network.Summary.TotalParameters,
                ["engine"] = $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, libtorch {TorchSharp.torch.__version__}",
            };
            OnnxBackboneExporter.Export(network, target, mean, std, pipeline.ClassNames,
                provenance.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            var bytes = File.ReadAllBytes(target);
            provenance["file"] = Path.GetFileName(target);
            provenance["size_bytes"] = bytes.Length;
            provenance["sha256"] = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
            var sidecar = Path.ChangeExtension(target, ".json");
            IO.AtomicFile.WriteAllBytes(sidecar, System.Text.Encoding.UTF8.GetBytes(provenance.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n"));
            string contract = $"({bytes.Length:N0} bytes: input 'input' [N, 3, {network.InputShape[1]}, {network.InputShape[2]}], output 'output' [N, {pipeline.ClassNames.Count}]) and its provenance {sidecar}.";
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(target)}[/] {Markup.Escape(contract)}");
            return 0;
        }));
        return command;
    }
}
