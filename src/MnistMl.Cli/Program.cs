using System.CommandLine;
using MnistMl.Cli;
using Spectre.Console;

// Logs and pipes get full-width tables instead of 80-column wrapping.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;

var root = new RootCommand("MnistMl: image-classification pipelines on libtorch — train, evaluate, predict, inspect.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(SummaryCommand.Create());
root.Subcommands.Add(DatasetsCommand.Create());
root.Subcommands.Add(ExportOnnxCommand.Create());
root.Subcommands.Add(ExportBackboneCommand.Create());
root.Subcommands.Add(SearchCommand.Create());
return root.Parse(args).Invoke();
