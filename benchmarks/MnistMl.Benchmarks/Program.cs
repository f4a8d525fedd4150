using MnistMl.Benchmarks;

// dotnet run --project benchmarks/MnistMl.Benchmarks -c Release -- threads|data|train|inference
return args.FirstOrDefault() switch
{
    "threads" => ThreadCountBenchmark.Run(),
    "data" => DataPipelineBenchmark.Run(),
    "train" => TrainingBenchmark.Run(),
    "inference" => InferenceBenchmark.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MnistMl.Benchmarks threads|data|train|inference");
    return 2;
}
