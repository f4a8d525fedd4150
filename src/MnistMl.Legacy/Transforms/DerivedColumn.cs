using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>
/// A column a transformer computes from input columns of the same batch: its schema entry, the inputs it reads and
/// the batch function (input tensors [rows, …] in <see cref="Inputs"/> order → a new tensor [rows, …]).
/// </summary>
public sealed record DerivedColumn(DataViewSchema.Column Column, IReadOnlyList<string> Inputs, Func<IReadOnlyList<Tensor>, Tensor> Compute);
