using MnistMl.IO;
using MnistMl.Pipelines;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Tests;

/// <summary>
/// Nothing is lost and nothing is found too late: atomic writes clean up after killed writers, outputs never
/// replace inputs, and impossible runs (no validation rows, test classes that differ, more threads than cores)
/// are caught before or as training starts.
/// </summary>
[TestClass]
public sealed class SafeOutputTests
{
    [TestMethod]
    public void AWriteRemovesWhatAKilledWriterLeftButNotALiveWritersFile()
    {
        using var folder = new TempFolder();
        // What a writer killed between its write and its rename leaves: a full-size hidden temporary file.
        string leftover = folder.File($".model.zip.{Guid.NewGuid():N}.tmp", new string('x', 10_000));
        string live = Path.Combine(folder.Path, $".other.zip.{Guid.NewGuid():N}.tmp");
        string unrelated = folder.File(".notes.tmp", "mine");
        using (var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            AtomicFile.WriteAllBytes(Path.Combine(folder.Path, "model.zip"), new byte[] { 1, 2, 3 });
            Assert.IsTrue(File.Exists(live), "a file another writer holds is left alone");
        }
        Assert.IsFalse(File.Exists(leftover), "the killed writer's leftover is gone");
        Assert.IsTrue(File.Exists(unrelated), "only this class's temporary files are touched");
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, File.ReadAllBytes(Path.Combine(folder.Path, "model.zip")));
        Assert.AreEqual(1, AtomicFile.RemoveLeftovers(folder.Path), "once its writer is gone, the other one goes too");
        Assert.ThrowsExactly<IOException>(() => AtomicFile.WriteAllBytes(folder.Path, new byte[] { 1 }));
    }

    [TestMethod]
    public void AnOutputThatIsAnInputAFolderOrUnderAFileIsRefused()
    {
        using var folder = new TempFolder();
        string model = folder.File("model.zip", "model");
        string link = Path.Combine(folder.Path, "link.zip");
        File.CreateSymbolicLink(link, model);
        Directory.CreateDirectory(Path.Combine(folder.Path, "sub"));
        string viaDots = Path.Combine(folder.Path, "sub", "..", "model.zip");

        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => FileIdentity.CheckOutput(model, "--output", model)).Message, "is the input");
        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => FileIdentity.CheckOutput(link, "--output", model)).Message, "is the input");
        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => FileIdentity.CheckOutput(viaDots, "--output", link)).Message, "is the input");
        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => FileIdentity.CheckOutput(Path.Combine(folder.Path, "sub"), "--output", model)).Message, "is a folder");
        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => FileIdentity.CheckOutput(Path.Combine(model, "x.onnx"), "--output")).Message, "is a file, not a folder");
        FileIdentity.CheckOutput(Path.Combine(folder.Path, "new", "model.onnx"), "--output", model, null);
        Assert.IsTrue(FileIdentity.SameFile(link, model));
        string hard = Path.Combine(folder.Path, "hard.zip");
        using (var ln = System.Diagnostics.Process.Start("ln", [model, hard])) ln.WaitForExit();
        Assert.IsTrue(FileIdentity.SameFile(hard, model), "a hard link is the same file");
        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => FileIdentity.CheckOutput(hard, "--output", model)).Message, "is the input");
        Assert.IsFalse(FileIdentity.SameFile(Path.Combine(folder.Path, "model.onnx"), model));
    }

    private static PipelineDefinition Tiny(int trainRows, double? validation) => new()
    {
        Name = "tiny",
        Data = new DataSection { Dataset = "mnist", TrainRows = trainRows, ValidationFraction = validation, Seed = 1 },
        Transforms = [new ScalePixelsStep { Output = "Image" }, new FlattenStep { Output = "Features", Input = "Image" }],
        FeatureColumn = "Features",
        Network = new NetworkSpec(new DenseLayer(8, "relu"), new DenseLayer(10, "softmax")),
        Training = new TrainingSection { Epochs = 1, BatchSize = 16, Seed = 1, Threads = 1000 },
    };

    [TestMethod]
    public void FiveRowsWithAValidationSplitFailBeforeTrainingAndThreadsAreCappedAtTheCores()
    {
        // 5 rows of 5 different digits: no class has 2 rows, so a stratified split holds none out.
        var error = Assert.ThrowsExactly<ArgumentException>(() => PipelineRunner.Run(Tiny(5, 0.2)));
        StringAssert.Contains(error.Message, "The validation data has no rows (5 training rows)");

        var messages = new List<string>();
        using var result = PipelineRunner.Run(Tiny(200, null), trainer => trainer.Message += (_, m) => messages.Add(m)).Pipeline;
        CollectionAssert.Contains(messages, $"threads: 1000 asked for, {Environment.ProcessorCount} used (the number of cores).");
    }

    [TestMethod]
    public void ATestFileLackingClassesIsAnErrorBeforeTraining()
    {
        using var folder = new TempFolder();
        string header = string.Join(",", Enumerable.Range(1, 16).Select(i => $"pixel{i}").Append("class"));
        string Rows(params string[] labels) => header + "\n" + string.Join("\n", labels.Select((l, r) => string.Join(",", Enumerable.Range(r, 16).Select(v => v.ToString()).Append(l)))) + "\n";
        string train = folder.File("train.csv", Rows("a", "b", "c", "a", "b", "c"));
        string test = folder.File("test.csv", Rows("a", "b"));
        var definition = new PipelineDefinition
        {
            Data = new DataSection { Dataset = null, TrainCsv = train, TestCsv = test },
            Transforms = [new ScalePixelsStep { Output = "Image" }, new FlattenStep { Output = "Features", Input = "Image" }],
            FeatureColumn = "Features",
            Network = new NetworkSpec(new DenseLayer(3, "softmax")),
        };
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PipelineRunner.Run(definition));
        StringAssert.Contains(error.Message, "The test data's label column 'Label' has the 2 classes [a, b], the training data's the 3 classes [a, b, c]");
    }
}
