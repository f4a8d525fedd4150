using System.Diagnostics;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Trainers;
using MnistMl.Transforms;

namespace MnistMl.Pipelines;

/// <summary>The outcome of running a pipeline: the fitted pipeline, its test metrics and the training time.</summary>
public sealed record PipelineRunResult(TrainedPipeline Pipeline, MulticlassClassificationMetrics TestMetrics, TimeSpan TrainingTime);

/// <summary>
/// Runs a <see cref="PipelineDefinition"/>: loads the data, takes the subset and validation split it asks for,
/// fits the transforms on the training rows only, trains the network, and evaluates on the test split.
/// </summary>
public static class PipelineRunner
{
    /// <summary>The training, validation (when asked for) and test data, untransformed.</summary>
    public static (IDataView Train, IDataView? Validation, IDataView Test) LoadData(DataSection data, MLContext ml)
    {
        IDataView train, test;
        if (data.TrainCsv is not null)
        {
            train = ml.Data.LoadFromOpenMlCsv(data.TrainCsv);
            test = ml.Data.LoadFromOpenMlCsv(data.TestCsv ?? throw new ArgumentException("The pipeline names train_csv but no test_csv."));
        }
        else if (data.TrainImageFolder is not null)
        {
            train = ml.Data.LoadFromImageFolder(data.TrainImageFolder);
            test = ml.Data.LoadFromImageFolder(data.TestImageFolder ?? throw new ArgumentException("The pipeline names train_image_folder but no test_image_folder."));
        }
        else
        {
            string name = data.Dataset ?? throw new ArgumentException("The pipeline's data names no dataset, train_csv or train_image_folder.");
            train = ml.Data.LoadDataSet(name, DataSplit.Train, data.Directory);
            test = ml.Data.LoadDataSet(name, DataSplit.Test, data.Directory);
        }
        if (data.TrainRowsPerClass is { } perClass) train = ml.Data.TakeStratified(train, perClass, seed: data.Seed);
        if (data.TrainRows is { } rows) train = ml.Data.TakeRows(train, rows);
        IDataView? validation = null;
        if (data.ValidationFraction is { } fraction)
        {
            var split = ml.Data.TrainTestSplit(train, fraction, seed: data.Seed);
            (train, validation) = (split.TrainSet, split.TestSet);
        }
        return (train, validation, test);
    }

    /// <summary>Runs the pipeline; <paramref name="observe"/> may subscribe to the trainer's progress events first.</summary>
    public static PipelineRunResult Run(PipelineDefinition definition, Action<ClassifierTrainer>? observe = null)
    {
        var ml = new MLContext(seed: definition.Data.Seed);
        var (train, validation, test) = LoadData(definition.Data, ml);
        var trainer = new ClassifierTrainer(definition.Network, definition.Training.ToOptions(), definition.FeatureColumn, definition.LabelColumn);
        trainer.GetOutputSchema(TransformSchema(definition, ml, train.Schema)); // every setting checked before data is transformed
        trainer.Options.Validate();
        observe?.Invoke(trainer);

        var clock = Stopwatch.StartNew();
        var transforms = FitTransforms(definition, ml, train);
        // Transformed training and validation rows are read every epoch: compute them once.
        var trainRows = InMemoryDataView.Materialize(Apply(transforms, train));
        var validationRows = validation is null ? null : InMemoryDataView.Materialize(Apply(transforms, validation));
        var model = trainer.Fit(trainRows, validationRows);
        var trainingTime = clock.Elapsed;
        try
        {
            var pipeline = new TrainedPipeline(definition, train.Schema, transforms, model);
            var metrics = ml.Evaluation.Evaluate(pipeline.Transform(test), definition.LabelColumn, topKPredictionCount: definition.TopK);
            pipeline.Metrics["test_micro_accuracy"] = metrics.MicroAccuracy;
            pipeline.Metrics["test_macro_accuracy"] = metrics.MacroAccuracy;
            pipeline.Metrics["test_log_loss"] = metrics.LogLoss;
            pipeline.Metrics["test_macro_f1"] = metrics.MacroF1;
            pipeline.Metrics["training_seconds"] = trainingTime.TotalSeconds;
            return new PipelineRunResult(pipeline, metrics, trainingTime);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static DataViewSchema TransformSchema(PipelineDefinition definition, MLContext ml, DataViewSchema schema) =>
        definition.Transforms.Aggregate(schema, (s, step) => step.CreateEstimator(ml).GetOutputSchema(s));

    private static List<ITransformer> FitTransforms(PipelineDefinition definition, MLContext ml, IDataView train)
    {
        var fitted = new List<ITransformer>();
        var data = train;
        foreach (var step in definition.Transforms)
        {
            var transformer = step.CreateEstimator(ml).Fit(data);
            fitted.Add(transformer);
            data = transformer.Transform(data);
        }
        return fitted;
    }

    private static IDataView Apply(IReadOnlyList<ITransformer> transforms, IDataView data) => transforms.Aggregate(data, (d, t) => t.Transform(d));
}
