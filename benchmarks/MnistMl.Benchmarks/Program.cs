using MnistMl.Benchmarks;

// dotnet run --project benchmarks/MnistMl.Benchmarks -c Release -- threads|data
return args.FirstOrDefault() switch
{
    "threads" => ThreadCountBenchmark.Run(),
    "data" => DataPipelineBenchmark.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MnistMl.Benchmarks threads|data");
    return 2;
}
