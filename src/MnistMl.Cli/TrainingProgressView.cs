using MnistMl.Pipelines;
using MnistMl.Trainers;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>A progress bar per epoch with the running loss and accuracy and the time left, fed by the trainer's events.</summary>
internal static class TrainingProgressView
{
    public static PipelineRunResult Run(PipelineDefinition definition)
    {
        PipelineRunResult? result = null;
        var messages = new List<string>();
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? current = null;
                result = PipelineRunner.Run(definition, trainer =>
                {
                    trainer.Progress += (_, p) =>
                    {
                        if (current is null || current.IsFinished)
                            current = context.AddTask($"epoch {p.Epoch}/{p.Epochs}", maxValue: p.Batches);
                        current.Value = p.Batch;
                        current.Description = $"epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}  accuracy {p.Accuracy:P2}";
                    };
                    trainer.EpochCompleted += (_, m) =>
                    {
                        if (current is null) return;
                        current.Description = m.ValidationLoss is { } vl
                            ? $"epoch {m.Epoch}  loss {m.Loss:F4}  acc {m.Accuracy:P2}  val_loss {vl:F4}  val_acc {m.ValidationAccuracy:P2}  ({m.Seconds:F0} s)"
                            : $"epoch {m.Epoch}  loss {m.Loss:F4}  acc {m.Accuracy:P2}  ({m.Seconds:F0} s)";
                        current.StopTask();
                    };
                    trainer.Message += (_, m) => messages.Add(m);
                });
            });
        foreach (var message in messages) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
        return result!;
    }
}
