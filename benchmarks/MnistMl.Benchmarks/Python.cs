using System.Diagnostics;
using System.Globalization;

namespace MnistMl.Benchmarks;

/// <summary>Runs a reference script of benchmarks/ with Debian's /usr/bin/python3 and reads its "name: value" lines.</summary>
internal static class Python
{
    public static Dictionary<string, double> Run(string script, string arguments = "")
    {
        var result = new Dictionary<string, double>();
        string path = Path.Combine(RepositoryRoot(), "benchmarks", script);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", $"\"{path}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            foreach (var line in output.Split('\n'))
            {
                int colon = line.LastIndexOf(':');
                if (colon > 0 && double.TryParse(line[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    result[line[..colon].Trim()] = value;
            }
            if (result.Count == 0) Console.Error.WriteLine($"{script} gave no figures: {errors.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("/usr/bin/python3 is not available: the Python figures are left out.");
        }
        return result;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistMl.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
