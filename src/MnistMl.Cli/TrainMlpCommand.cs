using System.CommandLine;
using System.Diagnostics;
using MnistMl.Data;
using MnistMl.Torch;
using MnistMl.Torch.NN;
using MnistMl.Torch.Optim;
using MnistMl.Training;

namespace MnistMl.Cli;

/// <summary>`mnistml train-mlp`: trains a one-hidden-layer perceptron on MNIST and reports test accuracy.</summary>
internal static class TrainMlpCommand
{
    public static Command Create()
    {
        var hidden = new Option<int>("--hidden") { Description = "Units of the hidden ReLU layer.", DefaultValueFactory = _ => 128 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training images.", DefaultValueFactory = _ => 3 };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per gradient step.", DefaultValueFactory = _ => 64 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-3 };
        var trainCount = new Option<int>("--train-count") { Description = "How many of the 60,000 training images to use.", DefaultValueFactory = _ => 60000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for initialization and shuffling.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: the engine default)." };

        var command = new Command("train-mlp", "Train a 784-H-10 MLP on MNIST with Adam and report test accuracy.")
        {
            hidden, epochs, batchSize, learningRate, trainCount, seed, threads,
        };
        command.SetAction(result => Run(result.GetValue(hidden), result.GetValue(epochs), result.GetValue(batchSize),
            result.GetValue(learningRate), result.GetValue(trainCount), result.GetValue(seed), result.GetValue(threads)));
        return command;
    }

    private static int Run(int hidden, int epochs, int batchSize, double learningRate, int trainCount, ulong seed, int? threads)
    {
        try
        {
            if (epochs <= 0) throw new ArgumentOutOfRangeException("--epochs", epochs, "must be positive");
            if (trainCount <= 0 || trainCount > 60000) throw new ArgumentOutOfRangeException("--train-count", trainCount, "must be in 1..60000");
            if (threads is { } t) torch.NumThreads = t;
            torch.ManualSeed(seed);

            var train = LabeledImages.LoadMnist(train: true).Range(0, trainCount);
            var test = LabeledImages.LoadMnist(train: false);
            using var trainX = train.ScaledPixels();
            using var trainY = train.LabelIndices();
            using var testX = test.ScaledPixels();
            using var testY = test.LabelIndices();

            using var model = new Sequential(
                new Linear(train.Height * train.Width, hidden), new Activation(ActivationKind.Relu), new Linear(hidden, 10));
            using var optimizer = new Adam(model.Parameters(), learningRate);
            Console.WriteLine($"MLP 784-{hidden}-10 ({model.ParameterCount():N0} parameters), {trainCount:N0} training images, libtorch {torch.Version}, {torch.NumThreads} thread(s)");
            var clock = Stopwatch.StartNew();
            for (int epoch = 1; epoch <= epochs; epoch++)
            {
                double loss = SupervisedLoop.TrainEpoch(model, optimizer, trainX, trainY, batchSize);
                double accuracy = SupervisedLoop.Accuracy(model, testX, testY);
                Console.WriteLine($"epoch {epoch}/{epochs}  loss {loss:F4}  test accuracy {accuracy:P2}  ({clock.Elapsed.TotalSeconds:F1} s)");
            }
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or TorchException)
        {
            Console.Error.WriteLine($"mnistml: {e.Message}");
            return 1;
        }
    }
}
