using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Trainers;

namespace MnistMl.Pipelines;

/// <summary>The outcome of running a pipeline: the fitted pipeline, ML.NET's test metrics and the training time.</summary>
public sealed record PipelineRunResult(TrainedPipeline Pipeline, MulticlassClassificationMetrics TestMetrics, TimeSpan TrainingTime);

/// <summary>
/// Runs a <see cref="PipelineDefinition"/> with ML.NET: loads the data, takes the subset and validation split it asks
/// for, fits the transforms and the network as one estimator chain on the training rows, and evaluates on the test
/// split with ML.NET's evaluator.
/// </summary>
public static class PipelineRunner
{
    /// <summary>The training, validation (when asked for) and test data, untransformed.</summary>
    public static (IDataView Train, IDataView? Validation, IDataView Test) LoadData(DataSection data, MLContext ml)
    {
        IDataView train, test;
        if (data.TrainCsv is not null)
        {
            train = ml.Data.LoadOpenMlCsv(data.TrainCsv);
            test = ml.Data.LoadOpenMlCsv(data.TestCsv ?? throw new ArgumentException("The pipeline names train_csv but no test_csv."));
        }
        else if (data.TrainImageFolder is not null)
        {
            train = ml.Data.LoadImageFolder(data.TrainImageFolder);
            test = ml.Data.LoadImageFolder(data.TestImageFolder ?? throw new ArgumentException("The pipeline names train_image_folder but no test_image_folder."));
        }
        else
        {
            string name = data.Dataset ?? throw new ArgumentException("The pipeline's data names no dataset, train_csv or train_image_folder.");
            train = ml.Data.LoadDataSet(name, DataSplit.Train, data.Directory);
            test = ml.Data.LoadDataSet(name, DataSplit.Test, data.Directory);
        }
        if (data.TrainRowsPerClass is { } perClass) train = ml.Data.TakeStratified(train, perClass, seed: data.Seed);
        if (data.TrainRows is { } rows) train = ml.Data.TakeRows(train, rows);
        var (fit, validation) = SplitValidation(data, train);
        return (fit, validation, test);
    }

    /// <summary>The data section's stratified validation split of <paramref name="rows"/> (none without a validation fraction).</summary>
    public static (IDataView Train, IDataView? Validation) SplitValidation(DataSection data, IDataView rows, string labelColumn = "Label")
    {
        if (data.ValidationFraction is not { } fraction) return (rows, null);
        var split = new MLContext(seed: data.Seed).Data.StratifiedTrainTestSplit(rows, fraction, labelColumn, data.Seed);
        return (split.TrainSet, split.TestSet);
    }

    /// <summary>The trainer of the definition's network (its events can be subscribed to before running).</summary>
    public static ClassifierTrainer CreateTrainer(PipelineDefinition definition) =>
        new(definition.Network, definition.Training.ToOptions(), definition.FeatureColumn, definition.LabelColumn);

    /// <summary>Runs the pipeline; <paramref name="observe"/> may subscribe to the trainer's progress events first.</summary>
    public static PipelineRunResult Run(PipelineDefinition definition, Action<ClassifierTrainer>? observe = null)
    {
        var ml = new MLContext(seed: definition.Data.Seed);
        var (train, validation, test) = LoadData(definition.Data, ml);
        CheckSameClasses(train, test, definition.LabelColumn);
        var clock = Stopwatch.StartNew();
        var pipeline = Fit(definition, train, validation, observe);
        var trainingTime = clock.Elapsed;
        try
        {
            var metrics = Evaluate(pipeline, test, ml);
            var report = metrics.GetClassificationReport(pipeline.ClassNames);
            pipeline.Metrics["test_micro_accuracy"] = metrics.MicroAccuracy;
            pipeline.Metrics["test_macro_accuracy"] = metrics.MacroAccuracy;
            pipeline.Metrics["test_log_loss"] = metrics.LogLoss;
            pipeline.Metrics["test_macro_f1"] = report.MacroAverage.F1Score;
            pipeline.Metrics["training_seconds"] = trainingTime.TotalSeconds;
            return new PipelineRunResult(pipeline, metrics, trainingTime);
        }
        catch
        {
            pipeline.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fits the definition's transforms and network as one chain on <paramref name="train"/> (the transforms on the
    /// training rows only, then applied to <paramref name="validation"/> as they are), validating on it when given.
    /// </summary>
    public static TrainedPipeline Fit(PipelineDefinition definition, IDataView train, IDataView? validation, Action<ClassifierTrainer>? observe = null)
    {
        var ml = new MLContext(seed: definition.Data.Seed);
        var trainer = CreateTrainer(definition);
        trainer.Options.Validate();
        var transforms = definition.Transforms.Select(step => step.CreateEstimator(ml)).ToList();
        observe?.Invoke(trainer);
        var fitted = new List<ITransformer>();
        IDataView trainRows = train, validationRows = validation!;
        foreach (var estimator in transforms)
        {
            var transformer = estimator.Fit(trainRows);
            fitted.Add(transformer);
            trainRows = transformer.Transform(trainRows);
            if (validation is not null) validationRows = transformer.Transform(validationRows);
        }
        var model = trainer.Fit(trainRows, validation is null ? null : validationRows);
        return new TrainedPipeline(definition, train.Schema, new TransformerChain<ITransformer>([.. fitted, model]));
    }

    /// <summary>
    /// Before training: the test rows must have the training rows' classes (a test file lacking some would otherwise
    /// fail only in the evaluation, after all the training).
    /// </summary>
    private static void CheckSameClasses(IDataView train, IDataView test, string labelColumn)
    {
        if (train.Schema.GetColumnOrNull(labelColumn) is not { } trainLabel || test.Schema.GetColumnOrNull(labelColumn) is not { } testLabel) return;
        IReadOnlyList<string> Names(DataViewSchema.Column c)
        {
            try { return c.GetClassNames(); }
            catch (ArgumentException) { return []; }
        }
        var trainNames = Names(trainLabel);
        var testNames = Names(testLabel);
        if (!trainLabel.Type.Equals(testLabel.Type) || !trainNames.SequenceEqual(testNames))
            throw new InvalidDataException(
                $"The test data's label column '{labelColumn}' has {Describe(testLabel.Type, testNames)}, the training data's {Describe(trainLabel.Type, trainNames)}: " +
                "both must have the same classes (does the test file lack some?).");

        static string Describe(DataViewType type, IReadOnlyList<string> names) =>
            names.Count > 0 ? $"the {names.Count} classes [{string.Join(", ", names)}]" : $"type {type}";
    }

    /// <summary>ML.NET's multiclass metrics of a fitted pipeline on <paramref name="data"/> (top-k as the definition asks).</summary>
    public static MulticlassClassificationMetrics Evaluate(TrainedPipeline pipeline, IDataView data, MLContext? ml = null) =>
        (ml ?? new MLContext(seed: pipeline.Definition.Data.Seed)).MulticlassClassification.Evaluate(
            pipeline.Transform(data), pipeline.Definition.LabelColumn, topKPredictionCount: pipeline.Definition.TopK);
}
