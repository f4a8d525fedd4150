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
            or InvalidOperationException or UnauthorizedAccessException or NotSupportedException or System.Text.Json.JsonException
            or OverflowException or FormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            Console.Error.WriteLine($"mnistml: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never a stack trace for a user to read; MNISTML_DEBUG=1 shows it for a bug report.
            Console.Error.WriteLine($"mnistml: unexpected {e.GetType().Name}: {OneLine(e.Message)}{(Environment.GetEnvironmentVariable("MNISTML_DEBUG") == "1" ? Environment.NewLine + e : " (set MNISTML_DEBUG=1 for details)")}");
            return 1;
        }
    }

    /// <summary>The first line of a message: libtorch appends its C++ backtrace to its errors.</summary>
    private static string OneLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    public static void Heading(string text) => AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(text)}[/]").LeftJustified());
}
