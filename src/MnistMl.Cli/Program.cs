using System.CommandLine;
using MnistMl.Cli;

var root = new RootCommand("MnistMl: image classification pipelines on libtorch.");
root.Subcommands.Add(TrainMlpCommand.Create());
return root.Parse(args).Invoke();
