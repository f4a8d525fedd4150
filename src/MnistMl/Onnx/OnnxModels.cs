using System.Reflection;
using MnistMl.Onnx.Proto;

namespace MnistMl.Onnx;

/// <summary>The ONNX model envelope every MnistMl graph is written in: IR version, operator set, producer.</summary>
public static class OnnxModels
{
    /// <summary>The ONNX operator set of the default domain the models use.</summary>
    public const int OpsetVersion = 13;

    /// <summary>ONNX IR version 8 (ONNX 1.10–1.12); readable by ONNX Runtime 1.10 and later.</summary>
    public const int IrVersion = 8;

    public const string ProducerName = "MnistMl";

    /// <summary>The MnistMl version written as producer_version.</summary>
    public static string ProducerVersion { get; } =
        typeof(OnnxModels).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxModels).Assembly.GetName().Version?.ToString() ?? "0";

    internal static ModelProto Create(GraphProto graph, string docString, IEnumerable<(string Key, string Value)>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            ModelVersion = 1,
            DocString = docString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata ?? []) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }
}
