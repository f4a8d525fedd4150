using System.Runtime.InteropServices;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>Runs a command's body: any failure becomes a one-line reason on stderr and exit code 1.</summary>
internal static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or ExternalException
            or InvalidOperationException or UnauthorizedAccessException or NotSupportedException)
        {
            Console.Error.WriteLine($"mnistml: {e.Message}");
            return 1;
        }
    }

    public static void Heading(string text) => AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(text)}[/]").LeftJustified());
}
