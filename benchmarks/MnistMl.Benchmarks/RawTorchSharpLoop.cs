using System.Buffers.Binary;
using System.Diagnostics;
using TorchSharp;

namespace MnistMl.Benchmarks;

/// <summary>
/// The plainest TorchSharp training loop, as a peer for MnistMl's trainer: one epoch over the 60,000 MNIST training
/// images, batch 64, Adam (lr 1e-3, epsilon 1e-7), glorot-uniform weights and zero biases (the trainer's Keras
/// defaults, so both train the same model), cross-entropy, shuffled each epoch as the
/// trainer shuffles (the same seed, so the same batches) and gathered per batch with <c>index_select</c>, every step inside its own
/// <c>torch.NewDisposeScope()</c>; for the MLP 784-600-200-10 (ReLU) or seed 001's CNN (Conv2d 32 3x3 ReLU, MaxPool 2,
/// Flatten, Linear 100 ReLU, Linear 10). It uses TorchSharp only — nothing of MnistMl but its seeded shuffle — and reads the IDX files
/// itself, so it measures what TorchSharp gives without the toolkit in between (the same loop as
/// benchmarks/train_reference.py does in PyTorch).
/// </summary>
/// <remarks>
/// Threads: only <c>torch.set_num_threads</c> is called here. libtorch's inter-op pool can be sized once per process
/// (<c>torch.set_num_interop_threads</c> aborts the process when called again, or after parallel work has begun), so a
/// caller that compares thread counts runs each one in its own process; <see cref="SamplesPerSecond"/> itself may be
/// called more than once in a process, with any thread count.
/// </remarks>
internal static class RawTorchSharpLoop
{
    private const int BatchSize = 64;

    /// <summary>Trains <paramref name="model"/> for <paramref name="epochs"/> epochs and returns the best epoch's samples/s.</summary>
    /// <param name="mnistDirectory">The folder holding the raw, uncompressed train-images-idx3-ubyte and train-labels-idx1-ubyte.</param>
    /// <param name="model"><c>"mlp"</c> (input [N,784]) or <c>"cnn"</c> (input [N,1,28,28]); pixels scaled to [0, 1].</param>
    /// <param name="threads">libtorch intra-op threads.</param>
    /// <param name="epochs">Epochs timed; the fastest counts. Each is timed from its shuffle to its last step, the data already in tensors.</param>
    public static double SamplesPerSecond(string mnistDirectory, string model, int threads, int epochs = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        bool cnn = model switch
        {
            "mlp" => false,
            "cnn" => true,
            _ => throw new ArgumentException($"unknown model '{model}' (mlp or cnn)", nameof(model)),
        };
        torch.set_num_threads(threads);
        torch.manual_seed(1);

        var (pixels, shape) = ReadIdx(Path.Combine(mnistDirectory, "train-images-idx3-ubyte"));
        var (digits, _) = ReadIdx(Path.Combine(mnistDirectory, "train-labels-idx1-ubyte"));
        int count = shape[0];
        var features = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) features[i] = pixels[i] / 255f;
        var targets = new long[digits.Length];
        for (int i = 0; i < digits.Length; i++) targets[i] = digits[i];

        using var images = torch.tensor(features, cnn ? [count, 1, shape[1], shape[2]] : [count, (long)shape[1] * shape[2]]);
        using var labels = torch.tensor(targets);
        using var net = cnn
            ? torch.nn.Sequential(
                torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
                torch.nn.Linear(32 * 13 * 13, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
            : torch.nn.Sequential(
                torch.nn.Linear(784, 600), torch.nn.ReLU(), torch.nn.Linear(600, 200), torch.nn.ReLU(), torch.nn.Linear(200, 10));
        // Keras' defaults, which MnistMl's trainer uses: glorot-uniform weights, zero biases, Adam's epsilon 1e-7. The
        // starting point matters for speed, not only for accuracy: the values a run drifts into decide how many
        // denormal floats the steps meet, and those cost the CPU several times a normal operation.
        // Drawn right after seeding, layer by layer, as the trainer's Keras initializers draw them with the same seed:
        // both loops start from the same weights.
        torch.manual_seed(1);
        foreach (var (name, parameter) in net.named_parameters())
            using (torch.no_grad())
                if (name.EndsWith("weight", StringComparison.Ordinal)) torch.nn.init.xavier_uniform_(parameter);
                else torch.nn.init.zeros_(parameter);
        net.train();
        using var optimizer = torch.optim.Adam(net.parameters(), lr: 1e-3, eps: 1e-7);

        // The trainer's shuffle (SplitMix64 with its seed, one generator for all epochs): the same batches in the same
        // order, so that both loops compute the same numbers and only the toolkit's own cost differs.
        var shuffle = new MnistMl.Data.SplitRandom(1);
        var indices = new long[count];
        double best = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < count; i++) indices[i] = i;
            shuffle.Shuffle(indices.AsSpan());
            using (var order = torch.tensor(indices))
            {
                for (int start = 0; start < count; start += BatchSize)
                {
                    using var scope = torch.NewDisposeScope();
                    var batch = order.narrow(0, start, Math.Min(BatchSize, count - start));
                    net.zero_grad(set_to_none: true);
                    var loss = torch.nn.functional.cross_entropy(net.forward(images.index_select(0, batch)), labels.index_select(0, batch));
                    loss.backward();
                    optimizer.step();
                }
            }
            best = Math.Max(best, count / clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>Reads an IDX file (big-endian magic 0x000008nn: unsigned bytes, nn dimensions) into its bytes and dimensions.</summary>
    private static (byte[] Data, int[] Shape) ReadIdx(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 4 || file[0] != 0 || file[1] != 0 || file[2] != 0x08)
            throw new InvalidDataException($"{path} is not an unsigned-byte IDX file");
        var shape = new int[file[3]];
        long size = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(4 + 4 * i));
            size *= shape[i];
        }
        int offset = 4 + 4 * shape.Length;
        if (file.Length - offset != size)
            throw new InvalidDataException($"{path} holds {file.Length - offset} bytes of data, its header says {size}");
        return (file[offset..], shape);
    }
}
