using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Transforms;

/// <summary>
/// A row (or cursor) of an <see cref="ImageVectorTransformer"/>'s output over an input row: input columns pass
/// through, the computed column is mapped once per row on first read.
/// </summary>
internal sealed class MappedRow : DataViewRowCursor
{
    private readonly DataViewRow input;
    private readonly ImageVectorTransformer transformer;
    private readonly bool outputActive;
    private readonly bool ownsInput;
    private readonly int outputIndex;
    private ValueGetter<VBuffer<float>>? inputGetter;
    private VBuffer<float> source;
    private readonly float[] result;
    private long mappedPosition = -1;

    public MappedRow(DataViewRow input, DataViewSchema schema, ImageVectorTransformer transformer, bool outputActive, bool ownsInput)
    {
        this.input = input;
        this.ownsInput = ownsInput;
        Schema = schema;
        this.transformer = transformer;
        this.outputActive = outputActive;
        outputIndex = input.Schema.Count;
        result = new float[transformer.OutputType.Size];
    }

    public override DataViewSchema Schema { get; }

    public override long Position => input.Position;

    public override long Batch => input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < outputIndex ? input.IsColumnActive(input.Schema[column.Index]) : outputActive;

    public override bool MoveNext() => ((DataViewRowCursor)input).MoveNext();

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < outputIndex) return input.GetGetter<TValue>(input.Schema[column.Index]);
        if (!outputActive) throw new InvalidOperationException($"Column '{column.Name}' was not asked for when the cursor was made.");
        if (typeof(TValue) != typeof(VBuffer<float>))
            throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        inputGetter ??= input.GetGetter<VBuffer<float>>(input.Schema[transformer.InputColumnName]);
        return (ValueGetter<TValue>)(Delegate)new ValueGetter<VBuffer<float>>(GetOutput);
    }

    private void GetOutput(ref VBuffer<float> value)
    {
        if (mappedPosition != input.Position)
        {
            inputGetter!(ref source);
            if (source.IsDense) transformer.Map(source.GetValues(), result);
            else transformer.Map(source.DenseValues().ToArray(), result);
            mappedPosition = input.Position;
        }
        var editor = VBufferEditor.Create(ref value, result.Length);
        result.CopyTo(editor.Values);
        value = editor.Commit();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInput) input.Dispose();
        base.Dispose(disposing);
    }
}
