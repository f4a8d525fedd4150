using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Pipelines;

namespace MnistMl.Experiments;

/// <summary>What a search run did: every trial of the plan, the records known after it, and the refit when there was one.</summary>
public sealed record SearchOutcome(IReadOnlyList<Trial> Plan, IReadOnlyList<TrialRecord> Records, int TrialsRun, TrialRecord? Refit);

/// <summary>
/// Runs an experiment's trials — those of one shard, and of those the ones its results file does not hold yet —
/// scoring each by cross-validation or a held-out split of the training rows, appending one record per trial;
/// then, when the whole search is done, fits the best trial on all training rows and evaluates it once on the test
/// set (<see cref="SelectionSection.Refit"/>).
/// </summary>
public sealed class ExperimentRunner(ExperimentDefinition experiment, string resultsPath)
{
    private readonly Dictionary<string, (IDataView Train, IDataView Test, IReadOnlyList<(IDataView Train, IDataView Score)> Splits)> data = [];

    public ExperimentDefinition Experiment { get; } = experiment;
    public string ResultsPath { get; } = resultsPath;

    /// <summary>libtorch intra-op threads for every trial, overriding the pipelines' (parallel workers divide the cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Where the refitted best model is saved (an ML.NET model file); null saves none.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Progress lines: a trial starting, a trial's score, the refit.</summary>
    public event Action<string>? Message;

    /// <summary>Runs the pending trials of <paramref name="shard"/> (of <paramref name="worker"/>'s share within it) and, for a whole search, the refit.</summary>
    public SearchOutcome Run(ShardSpec? shard = null, ShardSpec? worker = null)
    {
        var part = shard ?? ShardSpec.All;
        var plan = SearchPlan.Create(Experiment);
        string fingerprint = Experiment.Fingerprint;
        var done = Finished(ResultsFile.Read(ResultsPath, Experiment.Name, fingerprint));
        var mine = plan.Where(t => part.Contains(t.Index)).ToList();
        if (worker is { } w) mine = mine.Where((_, position) => w.Contains(position)).ToList();
        var pending = mine.Where(t => !done.ContainsKey(t.Hash)).ToList();
        Message?.Invoke($"{Experiment.Name}: {plan.Count} trials in the plan, {mine.Count} in shard {part}{(worker is { } ww ? $" worker {ww}" : "")}, {mine.Count - pending.Count} already in {ResultsPath}, {pending.Count} to run.");

        int run = 0;
        foreach (var trial in pending)
        {
            Message?.Invoke($"trial {trial.Index + 1}/{plan.Count}: {trial.Describe()}");
            var record = RunTrial(trial, fingerprint, part);
            ResultsFile.Append(ResultsPath, record);
            run++;
            Message?.Invoke($"trial {trial.Index + 1}: {Experiment.Selection.Metric} {(record.Score is { } s ? s.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "-")}{(record.Note is { } n ? $" ({n})" : "")} in {record.Seconds:F0} s");
        }

        var records = ResultsFile.Read(ResultsPath, Experiment.Name, fingerprint);
        TrialRecord? refit = records.LastOrDefault(r => r.Kind == "refit");
        var finished = Finished(records);
        bool complete = plan.All(t => finished.ContainsKey(t.Hash));
        if (part == ShardSpec.All && worker is null && complete && Experiment.Selection.Refit)
        {
            var ranked = RankedResults.Rank(plan.Select(t => finished[t.Hash]), Experiment.Selection);
            if (ranked.FirstOrDefault(r => r.Score is not null) is { } best && (refit is null || refit.Hash != best.Hash || (ModelPath is not null && !File.Exists(ModelPath))))
            {
                refit = Refit(plan.Single(t => t.Hash == best.Hash), fingerprint);
                ResultsFile.Append(ResultsPath, refit);
                records.Add(refit);
            }
        }
        return new SearchOutcome(plan, records, run, refit);
    }

    private static Dictionary<string, TrialRecord> Finished(IEnumerable<TrialRecord> records)
    {
        var finished = new Dictionary<string, TrialRecord>();
        foreach (var r in records.Where(r => r.Kind == "trial")) finished[r.Hash] = r;
        return finished;
    }

    private TrialRecord RunTrial(Trial trial, string fingerprint, ShardSpec shard)
    {
        var pipeline = WithThreads(trial.Pipeline);
        var (_, _, splits) = Data(pipeline);
        var clock = Stopwatch.StartNew();
        var folds = new List<Dictionary<string, double>>();
        var histories = new List<List<Trainers.EpochMetrics>>();
        string? note = null;
        try
        {
            foreach (var (trainRows, scoreRows) in splits)
            {
                var (fitRows, validationRows) = PipelineRunner.SplitValidation(pipeline.Data, trainRows, pipeline.LabelColumn);
                using var fitted = PipelineRunner.Fit(pipeline, fitRows, validationRows);
                histories.Add(fitted.History.Epochs);
                if (fitted.History.Diverged)
                {
                    note = fitted.History.StopReason;
                    break;
                }
                folds.Add(Measure(PipelineRunner.Evaluate(fitted, scoreRows), fitted.ClassNames));
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException or System.Runtime.InteropServices.ExternalException)
        {
            // A setting that cannot train (a kernel larger than its input, say) is that trial's result, not the search's end.
            note = $"failed: {e.Message}";
        }
        bool ok = note is null && folds.Count == splits.Count;
        return Identify(trial, fingerprint) with
        {
            Score = ok ? folds.Average(f => f[Experiment.Selection.Metric]) : null,
            Folds = folds,
            Mean = ok ? Summarize(folds, v => v.Average()) : [],
            Std = ok ? Summarize(folds, v => FoldStatistics.FromValues(v).StandardDeviation) : [],
            Seconds = clock.Elapsed.TotalSeconds,
            Histories = histories,
            Note = note,
            Shard = shard == ShardSpec.All ? null : shard.ToString(),
            Finished = DateTimeOffset.UtcNow,
        };
    }

    private TrialRecord Refit(Trial trial, string fingerprint)
    {
        Message?.Invoke($"refit of the best trial {trial.Index + 1} ({trial.Describe()}) on all training rows, then the test set");
        var pipeline = WithThreads(trial.Pipeline);
        var (train, test, _) = Data(pipeline);
        var clock = Stopwatch.StartNew();
        var (fitRows, validationRows) = PipelineRunner.SplitValidation(pipeline.Data, train, pipeline.LabelColumn);
        using var fitted = PipelineRunner.Fit(pipeline, fitRows, validationRows);
        double seconds = clock.Elapsed.TotalSeconds;
        var metrics = Measure(PipelineRunner.Evaluate(fitted, test), fitted.ClassNames);
        foreach (var (name, value) in metrics) fitted.Metrics[$"test_{name}"] = value;
        if (ModelPath is not null) fitted.Save(ModelPath);
        Message?.Invoke($"refit: test accuracy {metrics["accuracy"]:P2}{(ModelPath is not null ? $", model written to {ModelPath}" : "")}");
        return Identify(trial, fingerprint) with
        {
            Kind = "refit",
            Score = metrics[Experiment.Selection.Metric],
            Test = metrics,
            Seconds = seconds,
            Histories = [fitted.History.Epochs],
            Note = fitted.History.StopReason,
            Finished = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>A record naming the experiment, the trial and its settings, to be completed with what the trial gave.</summary>
    private TrialRecord Identify(Trial trial, string fingerprint) => new()
    {
        Experiment = Experiment.Name,
        Fingerprint = fingerprint,
        Trial = trial.Index,
        Hash = trial.Hash,
        Settings = trial.Settings.ToDictionary(s => s.Key, s => s.Value?.DeepClone()),
        Metric = Experiment.Selection.Metric,
    };

    private PipelineDefinition WithThreads(PipelineDefinition pipeline) =>
        Threads is { } t ? pipeline with { Training = pipeline.Training with { Threads = t } } : pipeline;

    /// <summary>
    /// The training rows (subset as the pipeline asks, before its validation split), the test rows, and the
    /// selection's (train, score) pairs over the training rows — the same for every trial with the same data.
    /// </summary>
    private (IDataView Train, IDataView Test, IReadOnlyList<(IDataView Train, IDataView Score)> Splits) Data(PipelineDefinition pipeline)
    {
        var section = pipeline.Data with { ValidationFraction = null };
        string key = System.Text.Json.JsonSerializer.Serialize(section, PipelineDefinition.JsonOptions);
        if (data.TryGetValue(key, out var cached)) return cached;
        var ml = new MLContext(seed: section.Seed);
        var (train, _, test) = PipelineRunner.LoadData(section, ml);
        train = ml.Data.Cache(train);
        var selection = Experiment.Selection;
        IReadOnlyList<(IDataView, IDataView)> splits = selection.Folds is { } k
            ? [.. ml.Data.StratifiedCrossValidationSplit(train, k, pipeline.LabelColumn, selection.Seed).Select(f => (f.TrainSet, f.TestSet))]
            : [ToPair(ml.Data.StratifiedTrainTestSplit(train, selection.ValidationFraction!.Value, pipeline.LabelColumn, selection.Seed))];
        return data[key] = (train, test, splits);

        static (IDataView, IDataView) ToPair(StratifiedTrainTestData split) => (split.TrainSet, split.TestSet);
    }

    /// <summary>The metrics a selection can use, by name, from ML.NET's evaluation.</summary>
    internal static Dictionary<string, double> Measure(MulticlassClassificationMetrics metrics, IReadOnlyList<string> classNames)
    {
        var report = metrics.GetClassificationReport(classNames);
        var values = new Dictionary<string, double>
        {
            ["accuracy"] = metrics.MicroAccuracy,
            ["macro_accuracy"] = metrics.MacroAccuracy,
            ["macro_f1"] = report.MacroAverage.F1Score,
            ["weighted_f1"] = report.WeightedAverage.F1Score,
            ["log_loss"] = metrics.LogLoss,
        };
        if (metrics.TopKPredictionCount > 0) values["top_k_accuracy"] = metrics.TopKAccuracy;
        return values;
    }

    private static Dictionary<string, double> Summarize(List<Dictionary<string, double>> folds, Func<double[], double> statistic) =>
        folds[0].Keys.ToDictionary(name => name, name => statistic([.. folds.Select(f => f[name])]));
}
