namespace MnistMl.Data;

/// <summary>The named, typed columns of a data view (ML.NET's DataViewSchema).</summary>
public sealed class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] columns;

    public DataViewSchema(IEnumerable<Column> columns)
    {
        this.columns = columns.Select((c, i) => c with { Index = i }).ToArray();
        var duplicate = this.columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Column '{duplicate.Key}' appears twice in the schema.", nameof(columns));
    }

    /// <summary>
    /// One column. <see cref="KeyValues"/> names the classes of a key column (e.g. Fashion-MNIST's "T-shirt/top", …).
    /// </summary>
    public sealed record Column(string Name, ColumnType Type, IReadOnlyList<string>? KeyValues = null)
    {
        public int Index { get; init; }

        public override string ToString() => $"{Name}: {Type}";
    }

    public int Count => columns.Length;

    public Column this[int index] => columns[index];

    /// <summary>The column called <paramref name="name"/>; an unknown name throws, listing the columns there are.</summary>
    public Column this[string name] => GetColumnOrNull(name)
        ?? throw new ArgumentException($"Unknown column '{name}'. The columns are: {string.Join(", ", columns.Select(c => c.Name))}.", nameof(name));

    public Column? GetColumnOrNull(string name) => columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public bool Contains(string name) => GetColumnOrNull(name) is not null;

    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)columns).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => columns.GetEnumerator();

    public override string ToString() => string.Join(Environment.NewLine, columns.Select(c => c.ToString()));
}
