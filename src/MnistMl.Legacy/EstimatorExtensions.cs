using MnistMl.Transforms;

namespace MnistMl;

/// <summary>Chain-building extensions, as ML.NET's <c>Append</c> (in the root namespace, next to MLContext).</summary>
public static class EstimatorExtensions
{
    /// <summary>Starts a chain: this estimator, then <paramref name="next"/>.</summary>
    public static EstimatorChain<TNext> Append<TNext>(this IEstimator<ITransformer> first, IEstimator<TNext> next) where TNext : class, ITransformer =>
        new([first, next]);

    /// <summary>Caches the data at this point of the chain: later steps (and every epoch) read it from memory.</summary>
    public static EstimatorChain<CacheTransformer> AppendCacheCheckpoint(this IEstimator<ITransformer> estimator) =>
        estimator.Append(new TrivialEstimator<CacheTransformer>(new CacheTransformer()));
}
