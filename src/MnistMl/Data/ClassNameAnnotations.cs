using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Data;

/// <summary>
/// Class names on ML.NET columns: the "KeyValues" annotation of a key column (what ML.NET's MapValueToKey writes and
/// its evaluators and MapKeyToValue read) and the "SlotNames" annotation of a score vector.
/// </summary>
public static class ClassNameAnnotations
{
    /// <summary>ML.NET's annotation kind for the values behind a key column.</summary>
    public const string KeyValues = "KeyValues";

    /// <summary>ML.NET's annotation kind for the names of a vector's slots.</summary>
    public const string SlotNames = "SlotNames";

    /// <summary>Annotations holding <paramref name="classNames"/> under <paramref name="kind"/> (KeyValues by default).</summary>
    public static DataViewSchema.Annotations Of(IReadOnlyList<string> classNames, string kind = KeyValues)
    {
        var names = classNames.Select(n => n.AsMemory()).ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(kind, new VectorDataViewType(TextDataViewType.Instance, names.Length),
            (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
        return builder.ToAnnotations();
    }
}
