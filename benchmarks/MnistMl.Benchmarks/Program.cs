using MnistMl.Benchmarks;

// dotnet run --project benchmarks/MnistMl.Benchmarks -c Release -- threads
return args.FirstOrDefault() switch
{
    "threads" => ThreadCountBenchmark.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MnistMl.Benchmarks threads");
    return 2;
}
