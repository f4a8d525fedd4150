using System.Buffers.Binary;
using System.Text;

namespace MnistMl.Build.Tests;

/// <summary>
/// The symbol versioning sections of an ELF64 little-endian file, read independently of the inline task in
/// MnistMl.targets: version needs (.gnu.version_r, with the file offset of each entry's vna_flags) and version
/// definitions (.gnu.version_d).
/// </summary>
internal sealed class ElfVersions
{
    public const ushort WeakFlag = 0x2;

    /// <summary>One Vernaux entry: a version <paramref name="Name"/> required from <paramref name="File"/>.</summary>
    public sealed record Need(string File, string Name, ushort Flags, int FlagsOffset)
    {
        public bool IsWeak => (Flags & WeakFlag) != 0;
        public bool IsLibStdCxx => File.StartsWith("libstdc++.so", StringComparison.Ordinal) && (Name.StartsWith("GLIBCXX_", StringComparison.Ordinal) || Name.StartsWith("CXXABI_", StringComparison.Ordinal));
    }

    private readonly byte[] data;
    private readonly List<(uint Type, int Offset, int Size, int Link, int Info)> sections = [];

    public ElfVersions(byte[] data)
    {
        this.data = data;
        if (data.Length < 64 || !data.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || data[4] != 2 || data[5] != 1)
            throw new InvalidDataException("not an ELF64 little-endian file");
        int shoff = checked((int)U64(0x28)), shentsize = U16(0x3a), shnum = U16(0x3c);
        for (int i = 0; i < shnum; i++)
        {
            int h = shoff + i * shentsize;
            sections.Add((U32(h + 4), checked((int)U64(h + 24)), checked((int)U64(h + 32)), (int)U32(h + 40), (int)U32(h + 44)));
        }
    }

    public static ElfVersions Read(string path) => new(File.ReadAllBytes(path));

    public IReadOnlyList<Need> Needs()
    {
        var needs = new List<Need>();
        foreach (var s in sections.Where(s => s.Type == 0x6ffffffe))
        {
            var strings = sections[s.Link];
            int entry = s.Offset;
            for (int i = 0; i < s.Info; i++)
            {
                string file = Str(strings.Offset, U32(entry + 4));
                int aux = entry + (int)U32(entry + 8);
                for (int j = 0; j < U16(entry + 2); j++)
                {
                    needs.Add(new Need(file, Str(strings.Offset, U32(aux + 8)), U16(aux + 4), aux + 4));
                    aux += (int)U32(aux + 12);
                }
                entry += (int)U32(entry + 12);
            }
        }
        return needs;
    }

    public HashSet<string> Definitions()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sections.Where(s => s.Type == 0x6ffffffd))
        {
            var strings = sections[s.Link];
            int entry = s.Offset;
            for (int i = 0; i < s.Info; i++)
            {
                int aux = entry + (int)U32(entry + 12);
                for (int j = 0; j < U16(entry + 6); j++)
                {
                    names.Add(Str(strings.Offset, U32(aux)));
                    aux += (int)U32(aux + 4);
                }
                entry += (int)U32(entry + 16);
            }
        }
        return names;
    }

    private string Str(int table, uint offset)
    {
        int start = table + (int)offset;
        int end = Array.IndexOf(data, (byte)0, start);
        return Encoding.ASCII.GetString(data, start, end - start);
    }

    private ushort U16(int o) => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(o));
    private uint U32(int o) => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(o));
    private ulong U64(int o) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(o));
}
