using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MnistMl.Transforms;

/// <summary>
/// A step of saved MnistMl models, ML.NET's CustomMapping: the predicted class name as the network's ONNX graph
/// gives it (a one-element text vector: ApplyOnnxModel serves tensors only) becomes a scalar text, which ML.NET's
/// MapValueToKey turns into the PredictedLabel key with the class names. ML.NET records this assembly's name in the
/// model file and registers it when loading, so <c>ml.Model.Load</c> needs nothing set up.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PredictedClassNameMapping : CustomMappingFactory<PredictedClassNameMapping.Input, PredictedClassNameMapping.Output>
{
    public const string ContractName = "MnistMl.PredictedClassName";
    public const string InputColumnName = "PredictedLabel.ClassNames";
    public const string OutputColumnName = "PredictedLabel.ClassName";

    public sealed class Input
    {
        [ColumnName(InputColumnName), VectorType(1)]
        public string[] ClassNames { get; set; } = [];
    }

    public sealed class Output
    {
        [ColumnName(OutputColumnName)]
        public string ClassName { get; set; } = "";
    }

    public static void Map(Input input, Output output) => output.ClassName = input.ClassNames[0];

    public override Action<Input, Output> GetMapping() => Map;
}
