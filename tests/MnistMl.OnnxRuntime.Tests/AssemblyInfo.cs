// The resident-memory test measures the whole process: tests run one at a time.
[assembly: DoNotParallelize]
