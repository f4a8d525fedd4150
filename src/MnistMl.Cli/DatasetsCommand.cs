using System.CommandLine;
using MnistMl.Data;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>`mnistml datasets`: the named data sets, where they are looked for, and whether they are there.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "List the named data sets and where they are.");
        command.SetAction(_ => CommandRunner.Run(() =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("name").AddColumn("location").AddColumn(new TableColumn("train").RightAligned())
                .AddColumn(new TableColumn("test").RightAligned()).AddColumn("classes");
            foreach (var name in NamedDataSets.Names)
            {
                try
                {
                    var train = NamedDataSets.Load(name, DataSplit.Train);
                    var test = NamedDataSets.Load(name, DataSplit.Test);
                    string location = name == "mnist" ? DataSetLocation.MnistDirectory() : DataSetLocation.FashionMnistDirectory();
                    table.AddRow(name, Markup.Escape(location), $"{train.RowCount:N0}", $"{test.RowCount:N0}", Markup.Escape(string.Join(", ", train.Schema["Label"].KeyValues!)));
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
