using System.Text.Json;
using System.Text.Json.Nodes;
using MnistMl.Experiments;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Tests;

/// <summary>
/// Experiments: setting paths, search spaces, grid and random plans, shards, results files (append, resume after a
/// kill, another experiment's file, merge), ranking, and whole searches on a 300-image MNIST subset — resumed,
/// sharded and merged, and refitted.
/// </summary>
[TestClass]
public sealed class ExperimentTests
{
    /// <summary>300 MNIST training images (30 per class), pixels scaled and flattened, a one-hidden-layer MLP, 5 epochs on one thread.</summary>
    private static PipelineDefinition Tiny => new()
    {
        Name = "tiny",
        Data = new DataSection { Dataset = "mnist", TrainRowsPerClass = 30, Seed = 2 },
        Transforms = [new ScalePixelsStep { Output = "Image" }, new FlattenStep { Output = "Features", Input = "Image" }],
        FeatureColumn = "Features",
        Network = new NetworkSpec(new DenseLayer(16, "relu"), new DenseLayer(10, "softmax")),
        Training = new TrainingSection { Optimizer = new OptimizerSpec("adam", 0.001), Epochs = 5, BatchSize = 16, Seed = 2, Threads = 1 },
    };

    private static ExperimentDefinition Grid => new()
    {
        Name = "tiny-grid",
        Pipeline = Tiny,
        Space = new()
        {
            ["network.layers[0].units"] = new ChoiceDimension([8, 32]),
            ["training.optimizer.learning_rate"] = new ChoiceDimension([0.001, 0.01]),
        },
        Selection = new SelectionSection { Metric = "accuracy", Folds = 2, Seed = 5 },
    };

    [TestMethod]
    public void SettingPathsSetPropertiesAndListItems()
    {
        var json = JsonNode.Parse(Tiny.ToJson())!;
        SettingPath.Parse("network.layers[0].units").Apply(json, 64);
        SettingPath.Parse("training.optimizer.name").Apply(json, "nadam");
        SettingPath.Parse("training.optimizer.momentum").Apply(json, 0.5);
        SettingPath.Parse("transforms[1]").Apply(json, JsonNode.Parse("""{"type": "Flatten", "output": "Features", "input": "Image"}"""));
        var pipeline = json.Deserialize<PipelineDefinition>(PipelineDefinition.JsonOptions)!;
        Assert.AreEqual(64, ((DenseLayer)pipeline.Network.Layers[0]).Units);
        Assert.AreEqual("nadam", pipeline.Training.Optimizer.Name);
        Assert.AreEqual(0.5, pipeline.Training.Optimizer.Momentum);

        var out_of_range = Assert.ThrowsExactly<ArgumentException>(() => SettingPath.Parse("network.layers[5].units").Apply(json, 3));
        StringAssert.Contains(out_of_range.Message, "'network.layers' has 2 items, so [5] does not exist");
        var missing = Assert.ThrowsExactly<ArgumentException>(() => SettingPath.Parse("trainer.epochs").Apply(json, 3));
        StringAssert.Contains(missing.Message, "the pipeline has no 'trainer'");
        Assert.ThrowsExactly<ArgumentException>(() => SettingPath.Parse("network..units"));
        Assert.ThrowsExactly<ArgumentException>(() => SettingPath.Parse("Network.Layers"));
    }

    [TestMethod]
    public void SearchDimensionsReadFromJson()
    {
        var space = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, SearchDimension>>(
            """{"a": [1, "x", null], "b": {"uniform": [0, 0.5]}, "c": {"log_uniform": [1e-4, 1e-1]}, "d": {"int": [2, 4]}, "e": {"choice": [true, false]}}""",
            ExperimentDefinition.JsonOptions)!;
        Assert.HasCount(3, ((ChoiceDimension)space["a"]).Values);
        Assert.AreEqual(new RangeDimension(0, 0.5, false), space["b"]);
        Assert.AreEqual(new RangeDimension(1e-4, 1e-1, true), space["c"]);
        CollectionAssert.AreEqual(new long[] { 2, 3, 4 }, space["d"].GridValues!.Select(v => v!.GetValue<long>()).ToArray());
        Assert.HasCount(2, space["e"].GridValues!);
        Assert.ThrowsExactly<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<SearchDimension>("""{"normal": [0, 1]}""", ExperimentDefinition.JsonOptions));
        Assert.ThrowsExactly<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<SearchDimension>("""{"int": [1.5, 3]}""", ExperimentDefinition.JsonOptions));
        Assert.ThrowsExactly<ArgumentException>(() => new RangeDimension(0, 1, Logarithmic: true).Validate("lr"));
        Assert.ThrowsExactly<ArgumentException>(() => new RangeDimension(2, 1, Logarithmic: false).Validate("rate"));
    }

    [TestMethod]
    public void GridEnumeratesEveryCombinationFirstSettingSlowest()
    {
        var plan = SearchPlan.Create(Grid);
        Assert.HasCount(4, plan);
        CollectionAssert.AreEqual(new[] { "8 0.001", "8 0.01", "32 0.001", "32 0.01" },
            plan.Select(t => $"{Trial.Format(t.Settings["network.layers[0].units"])} {Trial.Format(t.Settings["training.optimizer.learning_rate"])}").ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, plan.Select(t => t.Index).ToArray());
        Assert.AreEqual(32, ((DenseLayer)plan[3].Pipeline.Network.Layers[0]).Units);
        Assert.AreEqual(0.01, plan[3].Pipeline.Training.Optimizer.LearningRate);
        Assert.HasCount(4, plan.Select(t => t.Hash).Distinct().ToList(), "every trial has its own hash");
        CollectionAssert.AreEqual(plan.Select(t => t.Hash).ToArray(), SearchPlan.Create(Grid).Select(t => t.Hash).ToArray(), "hashes are stable");
    }

    [TestMethod]
    public void LinkedSettingsTakeOneValueAndOverridesApplyToEveryTrial()
    {
        var experiment = Grid with
        {
            Pipeline = Tiny with { Network = new NetworkSpec(new DenseLayer(16, "relu"), new DenseLayer(16, "relu"), new DenseLayer(10, "softmax")) },
            Overrides = new() { ["training.epochs"] = 1 },
            Space = new() { ["network.layers[0].activation, network.layers[1].activation"] = new ChoiceDimension(["tanh", "elu", "selu"]) },
        };
        var plan = SearchPlan.Create(experiment);
        Assert.HasCount(3, plan);
        foreach (var (trial, activation) in plan.Zip(new[] { "tanh", "elu", "selu" }))
        {
            Assert.AreEqual(activation, ((DenseLayer)trial.Pipeline.Network.Layers[0]).Activation);
            Assert.AreEqual(activation, ((DenseLayer)trial.Pipeline.Network.Layers[1]).Activation);
            Assert.AreEqual("softmax", ((DenseLayer)trial.Pipeline.Network.Layers[2]).Activation);
            Assert.AreEqual(1, trial.Pipeline.Training.Epochs);
        }
        Assert.AreEqual("network.layers[0].activation, network.layers[1].activation=elu", plan[1].Describe());
    }

    [TestMethod]
    public void RandomSearchDrawsTheSameTrialsFromTheSameSeedWithinTheRanges()
    {
        var experiment = Grid with
        {
            Search = "random",
            Trials = 12,
            Seed = 7,
            Space = new()
            {
                ["training.optimizer.learning_rate"] = new RangeDimension(1e-4, 1e-1, Logarithmic: true),
                ["network.layers[0].units"] = new IntegerDimension(4, 64),
                ["training.batch_size"] = new ChoiceDimension([16, 32, 64]),
            },
        };
        var plan = SearchPlan.Create(experiment);
        Assert.HasCount(12, plan);
        foreach (var t in plan)
        {
            double lr = t.Pipeline.Training.Optimizer.LearningRate!.Value;
            Assert.IsTrue(lr >= 1e-4 && lr <= 1e-1, $"learning rate {lr}");
            int units = ((DenseLayer)t.Pipeline.Network.Layers[0]).Units;
            Assert.IsTrue(units is >= 4 and <= 64, $"units {units}");
            Assert.IsTrue(t.Pipeline.Training.BatchSize is 16 or 32 or 64);
        }
        CollectionAssert.AreEqual(plan.Select(t => t.Describe()).ToArray(), SearchPlan.Create(experiment).Select(t => t.Describe()).ToArray());
        Assert.AreNotEqual(plan[0].Describe(), SearchPlan.Create(experiment with { Seed = 8 })[0].Describe());
        // Log-uniform: about as many draws below 1e-2.5 as above (12 draws: not all on one side).
        Assert.IsTrue(plan.Any(t => t.Pipeline.Training.Optimizer.LearningRate < 0.00316) && plan.Any(t => t.Pipeline.Training.Optimizer.LearningRate > 0.00316));
    }

    [TestMethod]
    public void BadSearchesAreRejectedBeforeTraining()
    {
        static string Error(ExperimentDefinition e) => Assert.ThrowsExactly<ArgumentException>(() => SearchPlan.Create(e)).Message;
        StringAssert.Contains(Error(Grid with { Space = [] }), "empty search space");
        StringAssert.Contains(Error(Grid with { Space = new() { ["training.optimizer.learning_rte"] = new ChoiceDimension([0.1]) } }), "setting 'training.optimizer.learning_rte' does not make a valid pipeline");
        StringAssert.Contains(Error(Grid with { Space = new() { ["network.layers[0].units"] = new ChoiceDimension([]) } }), "has no values");
        StringAssert.Contains(Error(Grid with { Space = new() { ["training.batch_size"] = new ChoiceDimension([32, 0]) } }), "trial 2 (training.batch_size=0) does not make a valid pipeline");
        StringAssert.Contains(Error(Grid with { Space = new() { ["training.optimizer.learning_rate"] = new RangeDimension(0.1, 1, false) } }), "a grid cannot enumerate");
        StringAssert.Contains(Error(Grid with { Space = new() { ["training.optimizer"] = new ChoiceDimension([null]), ["training.optimizer.name"] = new ChoiceDimension(["sgd"]) } }), "contradict");
        StringAssert.Contains(Error(Grid with { Overrides = new() { ["training.epochs"] = 1 }, Space = new() { ["training.epochs"] = new ChoiceDimension([1, 2]) } }), "is given twice");
        StringAssert.Contains(Error(Grid with { Search = "random" }), "needs \"trials\"");
        StringAssert.Contains(Error(Grid with { Selection = new SelectionSection { Folds = 1 } }), "at least 2");
        StringAssert.Contains(Error(Grid with { Selection = new SelectionSection() }), "needs folds");
        StringAssert.Contains(Error(Grid with { Selection = new SelectionSection { Metric = "auc", Folds = 3 } }), "Unknown selection metric 'auc'");
    }

    [TestMethod]
    public void ShardsSplitThePlanWithoutOverlap()
    {
        var shards = Enumerable.Range(1, 3).Select(i => ShardSpec.Parse($"{i}/3")).ToList();
        for (int trial = 0; trial < 10; trial++) Assert.AreEqual(1, shards.Count(s => s.Contains(trial)), $"trial {trial}");
        CollectionAssert.AreEqual(new[] { 1, 4, 7 }, Enumerable.Range(0, 10).Where(shards[1].Contains).ToArray());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ShardSpec.Parse("0/4")).Message, "from 1 to 4");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ShardSpec.Parse("5/4")).Message, "from 1 to 4");
        Assert.ThrowsExactly<ArgumentException>(() => ShardSpec.Parse("2"));
        Assert.ThrowsExactly<ArgumentException>(() => ShardSpec.Parse("-1/3"));
    }

    [TestMethod]
    public void ResultsFileSurvivesAKilledWriteAndRefusesAnotherExperiment()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "r.jsonl");
        var record = new TrialRecord { Experiment = "e", Fingerprint = "f1", Trial = 0, Hash = "h0", Score = 0.5, Settings = new() { ["a"] = 1 } };
        ResultsFile.Append(path, record);
        // A kill in the middle of the next write leaves half a line without its newline.
        File.AppendAllText(path, """{"kind":"trial","experiment":"e","fingerpr""");
        var read = ResultsFile.Read(path, "e", "f1");
        Assert.HasCount(1, read, "the cut line is ignored");
        ResultsFile.Append(path, record with { Trial = 1, Hash = "h1" });
        CollectionAssert.AreEqual(new[] { "h0", "h1" }, ResultsFile.Read(path, "e", "f1").Select(r => r.Hash).ToArray(), "the cut line is removed before the next record");
        Assert.HasCount(2, File.ReadAllLines(path));
        Assert.AreEqual(1, ResultsFile.Read(path)[1].Trial);
        Assert.AreEqual(1, ResultsFile.Read(path)[0].Settings["a"]!.GetValue<int>());

        var other = Assert.ThrowsExactly<InvalidDataException>(() => ResultsFile.Read(path, "e", "f2"));
        StringAssert.Contains(other.Message, "r.jsonl', line 1, belongs to experiment 'e' (f1), not to 'e' (f2)");
        File.WriteAllText(path, "not json\n" + File.ReadAllText(path));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ResultsFile.Read(path)).Message, "line 1, is not a trial record");
    }

    [TestMethod]
    public void RankingPutsTheBestFirstAndFailuresLast()
    {
        var records = new[]
        {
            new TrialRecord { Trial = 0, Hash = "a", Score = 0.90, Metric = "accuracy", Settings = new() { ["x"] = 1 }, Mean = new() { ["accuracy"] = 0.90, ["log_loss"] = 0.3 }, Std = new() { ["accuracy"] = 0.01 }, Folds = [[], []], Seconds = 3 },
            new TrialRecord { Trial = 1, Hash = "b", Score = null, Metric = "accuracy", Settings = new() { ["x"] = 2 }, Note = "diverged", Folds = [[]], Seconds = 1 },
            new TrialRecord { Trial = 2, Hash = "c", Score = 0.95, Metric = "accuracy", Settings = new() { ["x"] = 3 }, Mean = new() { ["accuracy"] = 0.95, ["log_loss"] = 0.2 }, Std = new() { ["accuracy"] = 0.02 }, Folds = [[], []], Seconds = 2 },
            new TrialRecord { Trial = 0, Hash = "a", Score = 0.91, Metric = "accuracy", Settings = new() { ["x"] = 1 }, Mean = new() { ["accuracy"] = 0.91, ["log_loss"] = 0.3 }, Std = new() { ["accuracy"] = 0.0 }, Folds = [[], []], Seconds = 4 },
        };
        var ranked = RankedResults.Rank(records, higherIsBetter: true);
        CollectionAssert.AreEqual(new[] { "c", "a", "b" }, ranked.Select(r => r.Hash).ToArray(), "a rerun trial counts once, with its latest record");
        Assert.AreEqual(0.91, ranked[1].Score);
        CollectionAssert.AreEqual(new[] { "a", "c", "b" }, RankedResults.Rank(records, higherIsBetter: false).Select(r => r.Hash).ToArray(), "a loss ranks lowest first; failures stay last");
        Assert.AreEqual(
            "| rank | trial | x | accuracy (mean ± std, 2 folds) | log_loss | seconds |\n" +
            "|---|---|---|---|---|---|\n" +
            "| 1 | 3 | 3 | 0.9500 ± 0.0200 | 0.2000 | 2 |\n" +
            "| 2 | 1 | 1 | 0.9100 ± 0.0000 | 0.3000 | 4 |\n" +
            "| 3 | 2 | 2 | diverged | - | 1 |\n",
            RankedResults.ToMarkdown(ranked).ReplaceLineEndings("\n"));
        Assert.AreEqual("rank,trial,x,\"accuracy (mean ± std, 2 folds)\",log_loss,seconds\n1,3,3,0.9500 ± 0.0200,0.2000,2\n",
            string.Join("\n", RankedResults.ToCsv(ranked).ReplaceLineEndings("\n").Split('\n')[..2]) + "\n");
    }

    [TestMethod]
    public void SearchScoresByCrossValidationResumesAndRefitsTheBest()
    {
        using var folder = new TempFolder();
        string results = Path.Combine(folder.Path, "grid.jsonl"), model = Path.Combine(folder.Path, "best.zip");
        var runner = new ExperimentRunner(Grid, results) { ModelPath = model };
        var outcome = runner.Run();
        Assert.AreEqual(4, outcome.TrialsRun);
        var trials = outcome.Records.Where(r => r.Kind == "trial").ToList();
        Assert.HasCount(4, trials);
        foreach (var t in trials)
        {
            Assert.HasCount(2, t.Folds, "2-fold cross-validation");
            Assert.HasCount(2, t.Histories);
            Assert.IsTrue(t.Histories.All(h => h.Count == 5), "5 epochs per fold");
            Assert.AreEqual((t.Folds[0]["accuracy"] + t.Folds[1]["accuracy"]) / 2, t.Score!.Value, 1e-12);
            Assert.AreEqual(Math.Abs(t.Folds[0]["accuracy"] - t.Folds[1]["accuracy"]) / 2, t.Std["accuracy"], 1e-12, "population std of two values: half their distance");
            // 150 scored rows per fold (stratified halves of 300): accuracies are multiples of 1/150.
            foreach (var f in t.Folds) Assert.AreEqual(Math.Round(f["accuracy"] * 150), f["accuracy"] * 150, 1e-9);
            Assert.IsTrue(t.Score > 0.3, $"trial {t.Trial}: {t.Score} (chance: 0.1)");
        }
        var best = RankedResults.Rank(trials, Grid.Selection)[0];
        var refit = outcome.Refit!;
        Assert.AreEqual("refit", refit.Kind);
        Assert.AreEqual(best.Hash, refit.Hash);
        Assert.IsTrue(refit.Test!["accuracy"] > 0.5, $"test accuracy {refit.Test["accuracy"]}");
        using (var saved = TrainedPipeline.Load(model))
            Assert.AreEqual(refit.Test["accuracy"], saved.Metrics["test_accuracy"]);

        // Run again: nothing left to do. Then lose the last trial's line as a kill mid-write would: only it reruns, to the same score.
        Assert.AreEqual(0, new ExperimentRunner(Grid, results).Run().TrialsRun);
        var lines = File.ReadAllLines(results).ToList();
        int last = lines.FindLastIndex(l => l.Contains("\"kind\":\"trial\"", StringComparison.Ordinal));
        string lost = lines[last];
        lines.RemoveAt(last);
        File.WriteAllText(results, string.Join("\n", lines) + "\n" + lost[..(lost.Length / 2)]);
        var again = new ExperimentRunner(Grid, results).Run();
        Assert.AreEqual(1, again.TrialsRun);
        var rerun = again.Records.Last(r => r.Kind == "trial");
        Assert.AreEqual(trials.Single(t => t.Hash == rerun.Hash).Score, rerun.Score, "same seed, same score");

        // A results file is tied to its experiment: another base pipeline is refused before any training.
        var other = Grid with { Pipeline = Tiny with { Training = Tiny.Training with { Epochs = 3 } } };
        Assert.ThrowsExactly<InvalidDataException>(() => new ExperimentRunner(other, results).Run());
    }

    [TestMethod]
    public void TwoShardsMergedEqualOneUnshardedRun()
    {
        using var folder = new TempFolder();
        var experiment = Grid with { Selection = Grid.Selection with { Folds = null, ValidationFraction = 0.25, Refit = false } };
        string whole = Path.Combine(folder.Path, "whole.jsonl"), first = Path.Combine(folder.Path, "s1.jsonl"), second = Path.Combine(folder.Path, "s2.jsonl");
        new ExperimentRunner(experiment, whole).Run();
        var one = new ExperimentRunner(experiment, first).Run(ShardSpec.Parse("1/2"));
        var two = new ExperimentRunner(experiment, second).Run(ShardSpec.Parse("2/2"));
        Assert.AreEqual(2, one.TrialsRun);
        Assert.AreEqual(2, two.TrialsRun);
        Assert.IsNull(one.Refit, "a shard does not refit");
        CollectionAssert.AreEqual(new[] { 0, 2 }, one.Records.Select(r => r.Trial).ToArray());
        var merged = RankedResults.Rank(ResultsFile.Merge([first, second]), experiment.Selection);
        var unsharded = RankedResults.Rank(ResultsFile.Read(whole), experiment.Selection);
        Assert.AreEqual(RankedResults.ToMarkdown(unsharded).Split("seconds")[0], RankedResults.ToMarkdown(merged).Split("seconds")[0]);
        CollectionAssert.AreEqual(unsharded.Select(r => (r.Hash, r.Score)).ToArray(), merged.Select(r => (r.Hash, r.Score)).ToArray());
        foreach (var r in merged) Assert.AreEqual(0, r.Std["accuracy"], "one held-out split");
        // 25 % of each class of 30 (8 rows, rounded) held out: 80 scored rows.
        foreach (var r in merged) Assert.AreEqual(Math.Round(r.Score!.Value * 80), r.Score.Value * 80, 1e-9, $"score {r.Score}");

        string stranger = Path.Combine(folder.Path, "other.jsonl");
        ResultsFile.Append(stranger, new TrialRecord { Experiment = "other", Fingerprint = "0123", Hash = "x" });
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ResultsFile.Merge([first, stranger])).Message, "only shards of one experiment can be merged");
    }

    [TestMethod]
    public void ShippedExperimentsPlanAsTheReadmeSaysAndTheirResultsBelongToThem()
    {
        var expected = new Dictionary<string, int> { ["seed000-grid"] = 24, ["seed001-activations"] = 11, ["seed002-gridsearchcv"] = 12 };
        var files = Directory.GetFiles(FixtureFiles.RepositoryFile("pipelines", "experiments"), "*.json");
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), files.Select(Path.GetFileNameWithoutExtension).ToArray());
        foreach (var file in files)
        {
            var experiment = ExperimentDefinition.Load(file);
            var plan = SearchPlan.Create(experiment);
            Assert.HasCount(expected[experiment.Name], plan, experiment.Name);
            // The committed results are this experiment's and cover its whole plan, with the refit of the best.
            var records = ResultsFile.Read(ResultsFile.DefaultPath(file), experiment.Name, experiment.Fingerprint);
            CollectionAssert.AreEquivalent(plan.Select(t => t.Hash).ToArray(), records.Where(r => r.Kind == "trial").Select(r => r.Hash).Distinct().ToArray(), experiment.Name);
            var best = RankedResults.Rank(records, experiment.Selection)[0];
            Assert.AreEqual(best.Hash, records.Last(r => r.Kind == "refit").Hash, experiment.Name);
        }
        var seed001 = SearchPlan.Create(ExperimentDefinition.Load(files.Single(f => f.EndsWith("seed001-activations.json", StringComparison.Ordinal))));
        Assert.AreEqual(2, seed001[0].Pipeline.Training.Epochs, "the override");
        Assert.AreEqual("hard_sigmoid", ((Conv2DLayer)seed001[9].Pipeline.Network.Layers[0]).Activation);
        Assert.AreEqual("hard_sigmoid", ((DenseLayer)seed001[9].Pipeline.Network.Layers[3]).Activation);
    }
}
