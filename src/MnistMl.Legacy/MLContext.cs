using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Trainers;
using MnistMl.Transforms;

namespace MnistMl;

/// <summary>
/// The entry point of MnistMl pipelines (ML.NET's MLContext): catalogs of data operations, transforms, trainers and evaluation.
/// A seed makes every operation that draws random numbers without its own seed repeat run to run.
/// </summary>
public sealed class MLContext
{
    private readonly SeededRandom seeds;
    private readonly object gate = new();

    public MLContext(int? seed = null)
    {
        Seed = seed;
        seeds = seed is { } s ? new SeededRandom(s) : SeededRandom.Unseeded();
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog();
        Trainers = new TrainersCatalog();
        Evaluation = new EvaluationCatalog(this);
    }

    /// <summary>The seed given at construction, if any.</summary>
    public int? Seed { get; }

    public DataOperationsCatalog Data { get; }

    public TransformsCatalog Transforms { get; }

    public TrainersCatalog Trainers { get; }

    public EvaluationCatalog Evaluation { get; }

    /// <summary>A generator for one operation, drawn from the context's seed sequence.</summary>
    internal SeededRandom NextRandom()
    {
        lock (gate) return new SeededRandom(seeds.NextSeed());
    }
}
