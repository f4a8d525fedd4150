using MnistMl.Benchmarks;

// dotnet run --project benchmarks/MnistMl.Benchmarks -c Release -- data|train [--model mlp|cnn] [--threads N]|inference
return args.FirstOrDefault() switch
{
    "data" => DataPipelineBenchmark.Run(),
    "train" => TrainingBenchmark.Run(args[1..]),
    "inference" => InferenceBenchmark.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MnistMl.Benchmarks data|train|inference");
    return 2;
}
