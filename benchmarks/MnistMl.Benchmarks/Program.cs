using MnistMl.Benchmarks;

// dotnet run --project benchmarks/MnistMl.Benchmarks -c Release -- data|train|inference
return args.FirstOrDefault() switch
{
    "data" => DataPipelineBenchmark.Run(),
    "train" => TrainingBenchmark.Run(),
    "inference" => InferenceBenchmark.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MnistMl.Benchmarks data|train|inference");
    return 2;
}
