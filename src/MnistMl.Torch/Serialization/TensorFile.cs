using System.Security.Cryptography;
using System.Text;

namespace MnistMl.Torch.Serialization;

/// <summary>
/// The state_dict file format of MnistMl (module weights, optimizer state). Little-endian:
/// <code>
/// "MNMLTENS"                     8 bytes magic
/// uint32 version                  currently 1
/// uint32 metadata count, then per entry: string key, string value
/// uint32 tensor count,   then per entry: string name, uint8 dtype (c10::ScalarType code),
///                        uint8 ndim, int64[ndim] shape, int64 byte count, raw row-major bytes
/// 32 bytes                        SHA-256 of every byte before it
/// </code>
/// Strings are uint16 byte length + UTF-8. Files are written to a temporary sibling and renamed, so a crash never leaves a half-written file.
/// </summary>
public static class TensorFile
{
    private static readonly byte[] Magic = "MNMLTENS"u8.ToArray();
    public const uint CurrentVersion = 1;
    private const int ChecksumLength = 32;

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.WriteAllBytes(path, Serialize(tensors, metadata));

    /// <summary>The file's bytes, for embedding in another container (a model file).</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(CurrentVersion);
            metadata ??= new Dictionary<string, string>();
            writer.Write((uint)metadata.Count);
            foreach (var (key, value) in metadata)
            {
                WriteString(writer, key);
                WriteString(writer, value);
            }
            writer.Write((uint)tensors.Count);
            foreach (var (name, tensor) in tensors)
            {
                WriteString(writer, name);
                var shape = tensor.Shape;
                writer.Write((byte)tensor.Dtype);
                writer.Write((byte)shape.Length);
                foreach (var size in shape) writer.Write(size);
                var bytes = new byte[tensor.NumberOfElements * tensor.Dtype.ElementSize()];
                tensor.CopyBytesTo(bytes);
                writer.Write((long)bytes.Length);
                writer.Write(bytes);
            }
        }
        var checksum = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(checksum);
        return buffer.ToArray();
    }

    /// <summary>Reads a file written by <see cref="Save"/>; the tensors belong to the caller (or the current DisposeScope).</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (IOException e) { throw new IOException($"Cannot read tensor file '{path}': {e.Message}", e); }
        return Deserialize(data, path);
    }

    /// <summary>Reads bytes written by <see cref="Serialize"/>; <paramref name="path"/> names their origin in errors.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Deserialize(byte[] data, string path)
    {
        if (data.Length < Magic.Length + 4 + ChecksumLength || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Corrupt(path, "it is not an MnistMl tensor file (bad magic number)");
        var body = data.AsSpan(0, data.Length - ChecksumLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(data.AsSpan(data.Length - ChecksumLength)))
            throw Corrupt(path, "the checksum does not match (the file is truncated or damaged)");

        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, 0, body.Length), Encoding.UTF8);
            reader.ReadBytes(Magic.Length);
            uint version = reader.ReadUInt32();
            if (version != CurrentVersion)
                throw Corrupt(path, $"format version {version} is not supported (this build reads version {CurrentVersion})");
            uint metadataCount = reader.ReadUInt32();
            for (uint i = 0; i < metadataCount; i++) metadata[ReadString(reader)] = ReadString(reader);
            uint count = reader.ReadUInt32();
            for (uint i = 0; i < count; i++)
            {
                string name = ReadString(reader);
                var dtype = (ScalarType)reader.ReadByte();
                if (!Enum.IsDefined(dtype)) throw Corrupt(path, $"tensor '{name}' has unknown dtype code {(byte)dtype}");
                var shape = new long[reader.ReadByte()];
                for (int d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
                long byteCount = reader.ReadInt64();
                long expected = shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize();
                if (byteCount != expected) throw Corrupt(path, $"tensor '{name}' has {byteCount} bytes, its shape needs {expected}");
                var bytes = reader.ReadBytes(checked((int)byteCount));
                if (bytes.Length != byteCount) throw Corrupt(path, $"tensor '{name}' is truncated");
                tensors[name] = torch.FromBytes(bytes, dtype, shape);
            }
            return (tensors, metadata);
        }
        catch (EndOfStreamException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw Corrupt(path, "it ends in the middle of an entry");
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }

    private static InvalidDataException Corrupt(string path, string reason) => new($"Tensor file '{path}' cannot be loaded: {reason}.");

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write(checked((ushort)bytes.Length));
        writer.Write(bytes);
    }

    private static string ReadString(BinaryReader reader)
    {
        int length = reader.ReadUInt16();
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return Encoding.UTF8.GetString(bytes);
    }
}
