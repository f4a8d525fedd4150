// The tests run dotnet builds that share consumer projects and the NuGet cache: one at a time.
[assembly: DoNotParallelize]
