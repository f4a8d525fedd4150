using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MnistMl.IO;
using MnistMl.Experiments;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>
/// `mnistml search EXPERIMENT [--results FILE] [--shard i/n] [--parallel k]`: runs a grid or random search (its
/// pending trials, or one shard's), prints the ranked table and, for a whole search, refits the best trial and
/// evaluates it on the test set; `mnistml search merge RESULTS…` ranks the trials of several shards' files.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var experiment = new Argument<FileInfo>("experiment") { Description = "Experiment definition (JSON), e.g. pipelines/experiments/seed002-gridsearchcv.json." };
        var results = new Option<FileInfo?>("--results") { Description = "Results file, one JSON line per trial (default: EXPERIMENT.results.jsonl next to the experiment)." };
        var shard = new Option<string?>("--shard") { Description = "Run only shard i of n (1-based), e.g. --shard $((SLURM_ARRAY_TASK_ID + 1))/8." };
        var parallel = new Option<int>("--parallel") { Description = "Trials at once, in separate processes that divide the cores between them.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads per trial (default: the cores divided by --parallel)." };
        var model = new Option<FileInfo?>("--model") { Description = "Save the refitted best model here (an ML.NET model file)." };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Also write the ranked table as Markdown." };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the ranked table as CSV." };
        var worker = new Option<string?>("--worker") { Description = "Internal: this process's share of the shard's trials (--parallel's workers).", Hidden = true };
        var command = new Command("search", "Run a grid or random search over pipeline settings, ranked by cross-validated or held-out score.")
        {
            experiment, results, shard, parallel, threads, model, markdown, csv, worker,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            string path = r.GetValue(experiment)!.FullName;
            var definition = ExperimentDefinition.Load(path);
            string resultsPath = r.GetValue(results)?.FullName ?? ResultsFile.DefaultPath(path);
            var part = r.GetValue(shard) is { } s ? ShardSpec.Parse(s) : ShardSpec.All;
            var workerPart = r.GetValue(worker) is { } w ? ShardSpec.Parse(w) : (ShardSpec?)null;
            int k = r.GetValue(parallel);
            if (k < 1) throw new ArgumentException($"--parallel must be at least 1, not {k}.");
            int? trialThreads = r.GetValue(threads) ?? (k > 1 ? Math.Max(1, Environment.ProcessorCount / k) : null);
            if (trialThreads is < 1) throw new ArgumentException("--threads must be at least 1.");
            FileIdentity.CheckOutput(resultsPath, "--results", path);
            foreach (var (option, file) in new[] { ("--model", r.GetValue(model)), ("--markdown", r.GetValue(markdown)), ("--csv", r.GetValue(csv)) })
                if (file is not null) FileIdentity.CheckOutput(file.FullName, option, path, resultsPath);
            // Everything is checked before a trial trains, including that the results file is this experiment's.
            SearchPlan.Create(definition);
            int before = RankedResults.Rank(ResultsFile.Read(resultsPath, definition.Name, definition.Fingerprint), definition.Selection).Count;

            if (workerPart is null) CommandRunner.Heading($"{definition.Name}: search");
            if (workerPart is null && definition.Description is { } description) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(description)}[/]");
            var clock = Stopwatch.StartNew();
            if (k > 1 && workerPart is null) RunWorkers(path, resultsPath, part, k, trialThreads!.Value);
            var runner = new ExperimentRunner(definition, resultsPath) { Threads = trialThreads, ModelPath = r.GetValue(model)?.FullName };
            string prefix = workerPart is { } wp ? $"[worker {wp}] " : "";
            runner.Message += line => Console.WriteLine(prefix + line);
            var outcome = runner.Run(part, workerPart);
            if (workerPart is not null) return 0;
            var ranked = RankedResults.Rank(outcome.Records, definition.Selection);
            Show(definition.Name, ranked, outcome.Refit, r.GetValue(markdown), r.GetValue(csv));
            int missing = outcome.Plan.Count - ranked.Count;
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"{ranked.Count - before} trials run in {clock.Elapsed.TotalMinutes:F1} min; {ranked.Count} of {outcome.Plan.Count} in [bold]{Markup.Escape(resultsPath)}[/]{(missing > 0 ? $" ({missing} still to run, in other shards or later)" : "")}."));
            return 0;
        }));

        var files = new Argument<FileInfo[]>("results") { Description = "Results files of one experiment's shards.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the merged records as one results file." };
        var mergeMarkdown = new Option<FileInfo?>("--markdown") { Description = "Also write the ranked table as Markdown." };
        var mergeCsv = new Option<FileInfo?>("--csv") { Description = "Also write the ranked table as CSV." };
        var merge = new Command("merge", "Combine the results files of a sharded search into one ranked table.") { files, output, mergeMarkdown, mergeCsv };
        merge.SetAction(r => CommandRunner.Run(() =>
        {
            var paths = r.GetValue(files)!.Select(f => f.FullName).ToList();
            var records = ResultsFile.Merge(paths);
            var first = records[0];
            var ranked = RankedResults.Rank(records, higherIsBetter: first.Metric != "log_loss");
            if (r.GetValue(output) is { } o) ResultsFile.Write(o.FullName, records);
            Show(first.Experiment, ranked, records.LastOrDefault(x => x.Kind == "refit"), r.GetValue(mergeMarkdown), r.GetValue(mergeCsv));
            AnsiConsole.MarkupLine($"{ranked.Count} trials from {paths.Count} files{(r.GetValue(output) is { } written ? $", merged into [bold]{Markup.Escape(written.FullName)}[/]" : "")}.");
            return 0;
        }));
        command.Subcommands.Add(merge);
        return command;
    }

    private static void Show(string name, IReadOnlyList<TrialRecord> ranked, TrialRecord? refit, FileInfo? markdown, FileInfo? csv)
    {
        CommandRunner.Heading($"{name}: ranked trials");
        var (header, rows) = RankedResults.Table(ranked);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in header) table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var row in rows) table.AddRow([.. row.Select(Markup.Escape)]);
        AnsiConsole.Write(table);
        if (refit?.Test is { } test)
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Best trial {refit.Trial + 1} refitted on all training rows in {refit.Seconds:F0} s: test accuracy [bold]{test["accuracy"]:P2}[/], macro F1 {test["macro_f1"]:F4}, log-loss {test["log_loss"]:F4}."));
        if (markdown is not null) File.WriteAllText(markdown.FullName, RankedResults.ToMarkdown(ranked));
        if (csv is not null) File.WriteAllText(csv.FullName, RankedResults.ToCsv(ranked));
    }

    /// <summary>Runs the shard's trials in <paramref name="count"/> child processes of this command, each with its share and threads.</summary>
    private static void RunWorkers(string experiment, string results, ShardSpec shard, int count, int threads)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown, so --parallel cannot start workers.");
        var prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? new[] { Environment.GetCommandLineArgs()[0] } : [];
        var workers = new List<Process>();
        for (int j = 1; j <= count; j++)
        {
            var start = new ProcessStartInfo(self) { UseShellExecute = false };
            foreach (var a in prefix) start.ArgumentList.Add(a);
            foreach (var a in new[] { "search", experiment, "--results", results, "--shard", shard.ToString(), "--worker", $"{j}/{count}", "--threads", threads.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(a);
            workers.Add(Process.Start(start)!);
        }
        foreach (var p in workers) p.WaitForExit();
        var failed = workers.Select((p, i) => (p.ExitCode, Worker: i + 1)).Where(x => x.ExitCode != 0).ToList();
        if (failed.Count > 0)
            throw new InvalidOperationException($"Search worker(s) {string.Join(", ", failed.Select(f => $"{f.Worker} (exit {f.ExitCode})"))} failed; their finished trials are in {results}, rerun to finish the others.");
    }
}
