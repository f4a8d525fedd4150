using MnistMl.Benchmarks;

// dotnet run --project benchmarks/MnistMl.Benchmarks -c Release -- data|train [--model mlp|cnn] [--threads N]|inference|featurize [BACKBONE.onnx]
return args.FirstOrDefault() switch
{
    "data" => DataPipelineBenchmark.Run(),
    "train" => TrainingBenchmark.Run(args[1..]),
    "inference" => InferenceBenchmark.Run(),
    "featurize" => FeaturizationBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MnistMl.Benchmarks data|train [--model mlp|cnn] [--threads N]|inference|featurize [BACKBONE.onnx]");
    return 2;
}
