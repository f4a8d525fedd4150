namespace MnistMl.Trainers;

/// <summary>A progress report: where training is within the run and the running metrics of the epoch.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, TimeSpan EpochElapsed)
{
    /// <summary>Estimated time left in this epoch, from the pace so far.</summary>
    public TimeSpan EpochRemaining => Batch == 0 ? TimeSpan.Zero : EpochElapsed * ((double)(Batches - Batch) / Batch);
}
