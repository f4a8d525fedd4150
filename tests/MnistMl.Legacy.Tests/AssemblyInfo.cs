// libtorch's seed and thread count are process-wide: tests run one at a time so that seeded results repeat.
[assembly: DoNotParallelize]
