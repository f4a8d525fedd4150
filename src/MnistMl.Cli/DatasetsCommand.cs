using System.CommandLine;
using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Evaluation;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>`mnistml datasets`: the named data sets, where they are, their sizes and classes.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "List the named data sets and where they are.");
        command.SetAction(_ => CommandRunner.Run(() =>
        {
            var ml = new MLContext();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("name").AddColumn("location").AddColumn(new TableColumn("train").RightAligned())
                .AddColumn(new TableColumn("test").RightAligned()).AddColumn("classes");
            foreach (var name in MnistDataCatalog.DataSetNames)
            {
                try
                {
                    var train = ml.Data.LoadDataSet(name, DataSplit.Train);
                    var test = ml.Data.LoadDataSet(name, DataSplit.Test);
                    string location = name == "mnist" ? DataSetLocation.MnistDirectory() : DataSetLocation.FashionMnistDirectory();
                    table.AddRow(name, Markup.Escape(location), $"{train.GetRowCount():N0}", $"{test.GetRowCount():N0}",
                        Markup.Escape(string.Join(", ", train.Schema["Label"].GetClassNames())));
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    table.AddRow(name, $"[red]missing[/]: {Markup.Escape(e.Message)}", "-", "-", "-");
                }
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("[grey]MNISTML_MNIST_DIR and MNISTML_FASHION_MNIST_DIR override the folders; pipelines may also read OpenML CSV files and image folders.[/]");
            return 0;
        }));
        return command;
    }
}
