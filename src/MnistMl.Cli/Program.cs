using System.CommandLine;
using MnistMl.Cli;

var root = new RootCommand("MnistMl: image-classification pipelines on libtorch — train, evaluate, predict, inspect.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(SummaryCommand.Create());
root.Subcommands.Add(DatasetsCommand.Create());
return root.Parse(args).Invoke();
