using System.Runtime.InteropServices;

namespace MnistMl.IO;

/// <summary>
/// Whether two paths name the same file — through symbolic links in any component, relative paths, "..", or hard
/// links: what a command checks so that its output never replaces one of its inputs.
/// </summary>
public static partial class FileIdentity
{
    /// <summary>The canonical path: every symbolic link resolved (the file itself need not exist; its folder's links are resolved).</summary>
    public static string Canonical(string path)
    {
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows()) return full;
        string? existing = full;
        var rest = new Stack<string>();
        while (existing is not null && !Path.Exists(existing))
        {
            rest.Push(Path.GetFileName(existing));
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) return full;
        string resolved = RealPath(existing) ?? existing;
        while (rest.Count > 0) resolved = Path.Combine(resolved, rest.Pop());
        return resolved;
    }

    /// <summary>Same canonical path, or — for two existing files — the same device and inode (hard links).</summary>
    public static bool SameFile(string a, string b)
    {
        if (string.Equals(Canonical(a), Canonical(b), StringComparison.Ordinal)) return true;
        return Inode(a) is { } x && Inode(b) is { } y && x == y;
    }

    /// <summary>(st_dev, st_ino) of an existing file on Linux (the first two fields of glibc's struct stat on x64 and arm64); null elsewhere.</summary>
    private static (ulong Device, ulong Inode)? Inode(string path)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(path)) return null;
        Span<ulong> buffer = stackalloc ulong[32];
        try
        {
            unsafe
            {
                fixed (ulong* p = buffer)
                    if (stat(path, p) != 0) return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        return (buffer[0], buffer[1]);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, ulong* buffer);

    /// <summary>
    /// Rejects an output path that would replace one of <paramref name="inputs"/>, that is a folder, or whose folder
    /// is a file — before any work is done.
    /// </summary>
    /// <exception cref="IOException">The output is unusable; the message names it and why.</exception>
    public static void CheckOutput(string output, string option, params string?[] inputs)
    {
        string full = Path.GetFullPath(output);
        if (Directory.Exists(full)) throw new IOException($"{option} '{output}' is a folder; give a file name.");
        for (string? parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
            if (File.Exists(parent)) throw new IOException($"{option} '{output}' cannot be written: '{parent}' is a file, not a folder.");
        foreach (var input in inputs)
            if (input is not null && SameFile(output, input))
                throw new IOException($"{option} '{output}' is the input '{input}': writing it would replace what the command reads. Choose another output.");
    }

    private static string? RealPath(string path)
    {
        IntPtr result = realpath(path, IntPtr.Zero);
        if (result == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(result);
        }
        finally
        {
            free(result);
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
