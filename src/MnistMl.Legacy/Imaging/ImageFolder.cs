namespace MnistMl.Imaging;

/// <summary>
/// A labelled image collection laid out one sub-folder per class (root/&lt;class&gt;/&lt;image&gt;), the layout of Keras'
/// <c>image_dataset_from_directory</c> and ML.NET's image folders. Class names are the sub-folder names sorted
/// ordinally, so label i is <see cref="ClassNames"/>[i] on every machine; within a class, files are sorted ordinally.
/// Only a class folder's own .png, .jpg, .jpeg and .bmp files count (any letter case): nested folders, other files and
/// hidden entries (names starting with '.', such as .ipynb_checkpoints or macOS' ._ companions) are skipped.
/// </summary>
public sealed class ImageFolder
{
    private static readonly HashSet<string> ImageExtensions = new([".png", ".jpg", ".jpeg", ".bmp"], StringComparer.OrdinalIgnoreCase);

    private ImageFolder(string root, string[] classNames, LabeledImageFile[] files)
    {
        Root = root;
        ClassNames = classNames;
        Files = files;
    }

    public string Root { get; }
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Every image, class by class in label order.</summary>
    public IReadOnlyList<LabeledImageFile> Files { get; }

    /// <summary>Lists the classes and images under <paramref name="root"/>; decodes nothing.</summary>
    public static ImageFolder Scan(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        var classNames = Directory.GetDirectories(root).Select(folder => Path.GetFileName(folder)).Where(IsVisible).ToArray();
        if (classNames.Length == 0)
            throw new InvalidDataException($"Image folder '{root}' has no class sub-folders; it needs one sub-folder of images per class.");
        Array.Sort(classNames, StringComparer.Ordinal);

        var files = new List<LabeledImageFile>();
        for (int label = 0; label < classNames.Length; label++)
        {
            var classFolder = Path.Combine(root, classNames[label]);
            var names = Directory.GetFiles(classFolder).Select(file => Path.GetFileName(file))
                .Where(name => IsVisible(name) && ImageExtensions.Contains(Path.GetExtension(name))).ToArray();
            if (names.Length == 0)
                throw new InvalidDataException($"Class folder '{classFolder}' holds no .png, .jpg, .jpeg or .bmp images.");
            Array.Sort(names, StringComparer.Ordinal);
            files.AddRange(names.Select(name => new LabeledImageFile(Path.Combine(classFolder, name), label)));
        }
        return new ImageFolder(root, classNames, files.ToArray());
    }

    private static bool IsVisible(string name) => !name.StartsWith('.');
}

/// <summary>One image file of an <see cref="ImageFolder"/> and the index of its class.</summary>
public readonly record struct LabeledImageFile(string Path, int Label);
