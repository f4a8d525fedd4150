namespace MnistMl.Data;

/// <summary>
/// The files of a folder laid out one sub-folder per class (Keras' image_dataset_from_directory layout). Classes are
/// the sub-folder names sorted ordinally, so label i means the same class on every machine; within a class, files are
/// sorted ordinally. Only a class folder's own .png, .jpg, .jpeg, .bmp and .gif files count (any letter case); nested
/// folders, other files and hidden entries (names starting with '.') are skipped.
/// </summary>
internal sealed record ImageFolderLayout(string[] ClassNames, (string Path, int Label)[] Files)
{
    private static readonly HashSet<string> Extensions = new([".png", ".jpg", ".jpeg", ".bmp", ".gif"], StringComparer.OrdinalIgnoreCase);

    public static ImageFolderLayout Scan(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        var classNames = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Where(IsVisible).ToArray();
        if (classNames.Length == 0)
            throw new InvalidDataException($"Image folder '{root}' has no class sub-folders; it needs one sub-folder of images per class.");
        Array.Sort(classNames, StringComparer.Ordinal);

        var files = new List<(string, int)>();
        for (int label = 0; label < classNames.Length; label++)
        {
            var classFolder = Path.Combine(root, classNames[label]);
            var names = Directory.GetFiles(classFolder).Select(Path.GetFileName).OfType<string>()
                .Where(name => IsVisible(name) && Extensions.Contains(Path.GetExtension(name))).ToArray();
            if (names.Length == 0)
                throw new InvalidDataException($"Class folder '{classFolder}' holds no .png, .jpg, .jpeg, .bmp or .gif images.");
            Array.Sort(names, StringComparer.Ordinal);
            files.AddRange(names.Select(name => (Path.Combine(classFolder, name), label)));
        }
        return new ImageFolderLayout(classNames, files.ToArray());
    }

    private static bool IsVisible(string name) => !name.StartsWith('.');
}
