using System.CommandLine;
using MnistMl.IO;
using MnistMl.Onnx;
using MnistMl.Pipelines;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>`mnistml export-onnx MODEL`: the model's preprocessing and network as one ONNX file for other applications.</summary>
internal static class ExportOnnxCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file written by `train`." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "The .onnx file to write (default: the model's name with .onnx)." };
        var uint8 = new Option<bool>("--uint8") { Description = "Take uint8 pixels as input (default: float32 pixels 0–255)." };
        var command = new Command("export-onnx", "Export a model file (preprocessing and network) to ONNX for other applications.") { model, output, uint8 };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var source = r.GetValue(model)!.FullName;
            string target = r.GetValue(output)?.FullName ?? Path.ChangeExtension(source, ".onnx");
            // The default output of an input already named .onnx is the input itself.
            FileIdentity.CheckOutput(target, r.GetValue(output) is null ? "The default output" : "--output", source);
            using var pipeline = TrainedPipeline.Load(source);
            var options = new OnnxExportOptions
            {
                Name = pipeline.Definition.Name,
                Description = pipeline.Definition.Description,
                InputType = r.GetValue(uint8) ? OnnxInputType.UInt8 : OnnxInputType.Float32,
            };
            var proto = OnnxExporter.ToModel(pipeline.Model, pipeline.InputSchema, options);
            OnnxExporter.Export(pipeline.Model, pipeline.InputSchema, target, options);
            var input = proto.Graph.Input[0];
            string contract = $"(ONNX opset {OnnxModels.OpsetVersion}): input '{input.Name}' {(options.InputType == OnnxInputType.UInt8 ? "uint8" : "float32")} " +
                $"{OnnxModelFile.Shape(input)}, outputs 'probabilities' [N, {pipeline.ClassNames.Count}] and 'label' [N].";
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(target)}[/] {Markup.Escape(contract)}");
            return 0;
        }));
        return command;
    }
}
