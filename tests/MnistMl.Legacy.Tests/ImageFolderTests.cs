using MnistMl.Imaging;

namespace MnistMl.Tests;

[TestClass]
public sealed class ImageFolderTests
{
    [TestMethod]
    public void ClassesAndFilesAreSortedOrdinally()
    {
        using var fixtures = ImageFixtures.Create();
        var folder = ImageFolder.Scan(fixtures.ClassRoot);

        // Ordinal order: upper case before lower case, "b10" before "b2". Hidden, nested and non-image entries are skipped.
        CollectionAssert.AreEqual(new[] { "Zebra", "apple" }, folder.ClassNames.ToArray());
        var expected = new[]
        {
            new LabeledImageFile(Path.Combine(fixtures.ClassRoot, "Zebra", "B3.PNG"), 0),
            new LabeledImageFile(Path.Combine(fixtures.ClassRoot, "Zebra", "b10.bmp"), 0),
            new LabeledImageFile(Path.Combine(fixtures.ClassRoot, "Zebra", "b2.png"), 0),
            new LabeledImageFile(Path.Combine(fixtures.ClassRoot, "apple", "x.jpg"), 1),
            new LabeledImageFile(Path.Combine(fixtures.ClassRoot, "apple", "y.JPEG"), 1),
        };
        CollectionAssert.AreEqual(expected, folder.Files.ToArray());
        Assert.AreEqual(fixtures.ClassRoot, folder.Root);
    }

    [TestMethod]
    public void EveryListedFileDecodes()
    {
        using var fixtures = ImageFixtures.Create();
        var sizes = ImageFolder.Scan(fixtures.ClassRoot).Files
            .Select(file => ImageFile.Read(file.Path, ImageColorMode.Rgb))
            .Select(image => (image.Width, image.Height, image.Channels));
        CollectionAssert.AreEqual(new[] { (5, 4, 3), (6, 3, 3), (4, 4, 3), (16, 16, 3), (8, 8, 3) }, sizes.ToArray());
    }

    [TestMethod]
    public void MissingRootIsNamed()
    {
        var root = Path.Combine(Directory.CreateTempSubdirectory("image-folder-test").FullName, "absent");
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => ImageFolder.Scan(root));
        StringAssert.Contains(e.Message, $"'{root}' does not exist");
    }

    [TestMethod]
    public void RootWithoutClassFoldersIsNamed()
    {
        var root = Directory.CreateTempSubdirectory("image-folder-test").FullName;
        ImageFile.WritePng(Path.Combine(root, "loose.png"), ImageFixtures.Pattern(2, 2, 1));
        Directory.CreateDirectory(Path.Combine(root, ".git"));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Scan(root));
        StringAssert.Contains(e.Message, $"'{root}' has no class sub-folders");
    }

    [TestMethod]
    public void ClassFolderWithoutImagesIsNamed()
    {
        var root = Directory.CreateTempSubdirectory("image-folder-test").FullName;
        ImageFile.WritePng(Path.Combine(Directory.CreateDirectory(Path.Combine(root, "cat")).FullName, "a.png"), ImageFixtures.Pattern(2, 2, 1));
        var dog = Directory.CreateDirectory(Path.Combine(root, "dog")).FullName;
        File.WriteAllText(Path.Combine(dog, "readme.txt"), "no images here");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Scan(root));
        StringAssert.Contains(e.Message, $"'{dog}' holds no .png, .jpg, .jpeg or .bmp images");
    }
}
