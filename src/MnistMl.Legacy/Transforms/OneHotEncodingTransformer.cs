using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>A key column → float32 one-hot vectors [classes] (Keras' to_categorical; seed 002's y_oh).</summary>
public sealed class OneHotEncodingTransformer(string outputColumnName, string? inputColumnName = null) : MappingTransformer
{
    public string OutputColumnName { get; } = outputColumnName;
    public string InputColumnName { get; } = inputColumnName ?? outputColumnName;

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var key = ColumnChecks.Key(inputSchema, InputColumnName, "OneHotEncoding");
        int classes = key.Type.KeyCount!.Value;
        return [new(new(OutputColumnName, ColumnType.Vector(ScalarType.Float32, classes), key.KeyValues), [InputColumnName], x =>
        {
            using var oneHot = nn.functional.one_hot(x[0], classes);
            return oneHot.to_type(ScalarType.Float32);
        })];
    }
}
