using System.Runtime.InteropServices;
using MnistMl.OnnxRuntime.Native;

namespace MnistMl.OnnxRuntime;

/// <summary>
/// A loaded ONNX model ready to run (OrtSession). <see cref="Run(IReadOnlyDictionary{string, OnnxTensor}, IReadOnlyList{string})"/> may be called from several threads at once;
/// dispose the session to release the model's native memory.
/// </summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private readonly SessionHandle handle;
    private readonly Dictionary<string, int> inputIndex;
    private readonly Dictionary<string, int> outputIndex;
    // NUL-terminated UTF-8 names on the pinned object heap, with their fixed addresses, passed to every Run.
    private readonly byte[][] nameBytes;
    private readonly nint[] inputNamePointers;
    private readonly nint[] outputNamePointers;

    /// <summary>Loads the model file at <paramref name="modelPath"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="modelPath"/>.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the file (malformed, truncated, unsupported operator); the message names the file.</exception>
    public InferenceSession(string modelPath, SessionOptions? options = null) : this(LoadFile(modelPath, options)) { }

    /// <summary>Loads a model from the bytes of an ONNX file.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the bytes.</exception>
    public InferenceSession(byte[] model, SessionOptions? options = null) : this(LoadBytes(model, options)) { }

    private InferenceSession((SessionHandle Handle, string? Path, string[] Providers) loaded)
    {
        (handle, ModelPath, ExecutionProviders) = loaded;
        try
        {
            InputMetadata = ReadMetadata(input: true);
            OutputMetadata = ReadMetadata(input: false);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        (inputIndex, outputIndex, nameBytes, inputNamePointers, outputNamePointers) = IndexNames(InputMetadata, OutputMetadata);
    }

    /// <summary>The model file's full path; null for a model loaded from bytes.</summary>
    public string? ModelPath { get; }

    /// <summary>The model's inputs, in the model's order.</summary>
    public IReadOnlyList<NodeMetadata> InputMetadata { get; }

    /// <summary>The model's outputs, in the model's order.</summary>
    public IReadOnlyList<NodeMetadata> OutputMetadata { get; }

    public IReadOnlyList<string> InputNames => InputMetadata.Select(m => m.Name).ToArray();

    public IReadOnlyList<string> OutputNames => OutputMetadata.Select(m => m.Name).ToArray();

    /// <summary>The execution providers the session was created with, in priority order (CPU last).</summary>
    public IReadOnlyList<string> ExecutionProviders { get; }

    private string Description => ModelPath is null ? "the in-memory ONNX model" : $"the ONNX model '{ModelPath}'";

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (every model input, by name) and returns the outputs named in
    /// <paramref name="outputNames"/> (all outputs when null), in that order, copied into managed arrays.
    /// </summary>
    /// <exception cref="ArgumentException">An input is unknown or missing, or its element type or shape does not match the model; an output name is unknown.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed to run the model.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public IReadOnlyDictionary<string, OnnxTensor> Run(IReadOnlyDictionary<string, OnnxTensor> inputs, IReadOnlyList<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        var (names, tensors) = CheckInputs(inputs);
        var fetch = CheckOutputs(outputNames);

        var api = OrtEnvironment.Instance.Api;
        var memoryInfo = OrtEnvironment.Instance.CpuMemoryInfo;
        var inputCount = tensors.Length;
        var inputValues = new nint[inputCount];
        var inputNames = new nint[inputCount];
        var outputValues = new nint[fetch.Length];
        var outputNamesNative = new nint[fetch.Length];
        var pins = new GCHandle[inputCount];
        using var lease = new HandleLease(handle, this); // released after the finally below has released every OrtValue
        try
        {
            for (var i = 0; i < inputCount; i++)
            {
                var tensor = tensors[i];
                inputNames[i] = inputNamePointers[names[i]];
                pins[i] = GCHandle.Alloc(tensor.Data, GCHandleType.Pinned);
                nint value;
                fixed (long* shape = tensor.ShapeArray)
                {
                    var status = api.CreateTensorWithDataAsOrtValue(memoryInfo, (void*)pins[i].AddrOfPinnedObject(), (nuint)tensor.ByteLength,
                        shape, (nuint)tensor.Rank, (int)tensor.ElementType, &value);
                    api.Check(status, $"Creating input '{InputMetadata[names[i]].Name}' ({tensor}) for {Description} failed");
                }
                inputValues[i] = value;
            }
            for (var i = 0; i < fetch.Length; i++) outputNamesNative[i] = outputNamePointers[fetch[i]];

            fixed (nint* inNames = inputNames, inValues = inputValues, outNames = outputNamesNative, outValues = outputValues)
                api.Check(api.Run(lease.Pointer, 0, inNames, inValues, (nuint)inputCount, outNames, (nuint)fetch.Length, outValues),
                    $"Running {Description} failed");

            var results = new Dictionary<string, OnnxTensor>(fetch.Length);
            for (var i = 0; i < fetch.Length; i++)
            {
                var name = OutputMetadata[fetch[i]].Name;
                results[name] = ReadOutput(api, outputValues[i], name);
            }
            return results;
        }
        finally
        {
            GC.KeepAlive(nameBytes);
            foreach (var value in outputValues) if (value != 0) api.ReleaseValue(value);
            foreach (var value in inputValues) if (value != 0) api.ReleaseValue(value);
            foreach (var pin in pins) if (pin.IsAllocated) pin.Free();
        }
    }

    /// <summary>Runs a model with one input and returns its first output (or <paramref name="outputName"/>).</summary>
    public OnnxTensor Run(string inputName, OnnxTensor input, string? outputName = null)
    {
        var outputs = Run(new Dictionary<string, OnnxTensor> { [inputName] = input }, [outputName ?? OutputMetadata[0].Name]);
        return outputs.Values.Single();
    }

    public void Dispose() => handle.Dispose();

    private static (SessionHandle, string?, string[]) LoadFile(string modelPath, SessionOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var path = Path.GetFullPath(modelPath);
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no ONNX model file at '{path}'.", path);
        var utf8Path = OrtApi.PinnedUtf8(path);
        var handle = Create(options, (api, env, sessionOptions, session) =>
        {
            fixed (byte* p = utf8Path) return api.CreateSession(env, p, sessionOptions, session);
        }, $"Loading the ONNX model '{path}' failed", out var providers);
        return (handle, path, providers);
    }

    private static (SessionHandle, string?, string[]) LoadBytes(byte[] model, SessionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length == 0) throw new ArgumentException("The model is empty.", nameof(model));
        var handle = Create(options, (api, env, sessionOptions, session) =>
        {
            fixed (byte* p = model) return api.CreateSessionFromArray(env, p, (nuint)model.Length, sessionOptions, session);
        }, $"Loading the ONNX model from {model.Length} bytes failed", out var providers);
        return (handle, null, providers);
    }

    private delegate nint SessionFactory(OrtApi api, nint env, nint options, nint* session);

    private static SessionHandle Create(SessionOptions? options, SessionFactory create, string context, out string[] providers)
    {
        var environment = OrtEnvironment.Instance;
        var api = environment.Api;
        var ownOptions = options is null ? new SessionOptions() : null;
        try
        {
            var effective = options ?? ownOptions!;
            using var lease = effective.Lease();
            nint session;
            api.Check(create(api, environment.Handle, lease.Pointer, &session), context);
            providers = effective.ExecutionProviders.ToArray();
            return new SessionHandle(session);
        }
        finally
        {
            ownOptions?.Dispose();
        }
    }

    private NodeMetadata[] ReadMetadata(bool input)
    {
        var api = OrtEnvironment.Instance.Api;
        var allocator = OrtEnvironment.Instance.DefaultAllocator;
        var kind = input ? "input" : "output";
        using var lease = new HandleLease(handle, this);
        nuint count;
        api.Check(input ? api.SessionGetInputCount(lease.Pointer, &count) : api.SessionGetOutputCount(lease.Pointer, &count), $"Counting the {kind}s of {Description} failed");
        var result = new NodeMetadata[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePointer;
            api.Check(input ? api.SessionGetInputName(lease.Pointer, i, allocator, &namePointer) : api.SessionGetOutputName(lease.Pointer, i, allocator, &namePointer),
                $"Reading the name of {kind} {i} of {Description} failed");
            string name;
            try { name = Marshal.PtrToStringUTF8((nint)namePointer) ?? ""; }
            finally { api.Ignore(api.AllocatorFree(allocator, namePointer)); }

            nint typeInfo;
            api.Check(input ? api.SessionGetInputTypeInfo(lease.Pointer, i, &typeInfo) : api.SessionGetOutputTypeInfo(lease.Pointer, i, &typeInfo),
                $"Reading the type of {kind} '{name}' of {Description} failed");
            try
            {
                result[(int)i] = ReadNodeMetadata(api, typeInfo, name);
            }
            finally
            {
                api.ReleaseTypeInfo(typeInfo);
            }
        }
        return result;
    }

    private static NodeMetadata ReadNodeMetadata(OrtApi api, nint typeInfo, string name)
    {
        int onnxType;
        api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), $"Reading the type of '{name}' failed");
        if (onnxType != OrtApi.OnnxTypeTensor) return new NodeMetadata(name, isTensor: false, TensorElementType.Undefined, [], []);
        nint tensorInfo; // owned by typeInfo: not released separately
        api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), $"Reading the tensor type of '{name}' failed");

        int elementType;
        nuint rank;
        api.Check(api.GetTensorElementType(tensorInfo, &elementType), $"Reading the element type of '{name}' failed");
        api.Check(api.GetDimensionsCount(tensorInfo, &rank), $"Reading the rank of '{name}' failed");
        var shape = new long[(int)rank];
        var symbols = new byte*[(int)rank];
        var symbolic = new string[(int)rank];
        fixed (long* dims = shape)
        fixed (byte** syms = symbols)
        {
            api.Check(api.GetDimensions(tensorInfo, dims, rank), $"Reading the shape of '{name}' failed");
            api.Check(api.GetSymbolicDimensions(tensorInfo, syms, rank), $"Reading the dimension names of '{name}' failed");
        }
        for (var d = 0; d < shape.Length; d++)
        {
            symbolic[d] = symbols[d] is null ? "" : Marshal.PtrToStringUTF8((nint)symbols[d]) ?? "";
            if (shape[d] < 0) shape[d] = -1;
        }
        return new NodeMetadata(name, isTensor: true, (TensorElementType)elementType, shape, symbolic);
    }

    private static (Dictionary<string, int>, Dictionary<string, int>, byte[][], nint[], nint[]) IndexNames(
        IReadOnlyList<NodeMetadata> inputs, IReadOnlyList<NodeMetadata> outputs)
    {
        var bytes = inputs.Concat(outputs).Select(m => OrtApi.PinnedUtf8(m.Name)).ToArray();
        var pointers = bytes.Select(b => Marshal.UnsafeAddrOfPinnedArrayElement(b, 0)).ToArray();
        var inputIndex = inputs.Select((m, i) => (m.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var outputIndex = outputs.Select((m, i) => (m.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        return (inputIndex, outputIndex, bytes, pointers[..inputs.Count], pointers[inputs.Count..]);
    }

    private (int[] Indices, OnnxTensor[] Tensors) CheckInputs(IReadOnlyDictionary<string, OnnxTensor> inputs)
    {
        var indices = new int[inputs.Count];
        var tensors = new OnnxTensor[inputs.Count];
        var given = new bool[InputMetadata.Count];
        var n = 0;
        foreach (var (name, tensor) in inputs)
        {
            if (!inputIndex.TryGetValue(name ?? "", out var index))
                throw new ArgumentException($"'{name}' is not an input of {Description}; its inputs are {string.Join(", ", InputMetadata)}.", nameof(inputs));
            if (tensor is null) throw new ArgumentException($"Input '{name}' is null.", nameof(inputs));
            var expected = InputMetadata[index];
            if (!expected.IsTensor)
                throw new ArgumentException($"Input '{name}' of {Description} is not a tensor; MnistMl.OnnxRuntime feeds tensors only.", nameof(inputs));
            if (tensor.ElementType != expected.ElementType)
                throw new ArgumentException($"Input '{name}' expects {expected.ElementType} elements ({expected}), but the tensor holds {tensor.ElementType} elements.", nameof(inputs));
            if (tensor.Rank != expected.Rank || Enumerable.Range(0, tensor.Rank).Any(d => expected.Shape[d] >= 0 && expected.Shape[d] != tensor.ShapeArray[d]))
                throw new ArgumentException($"Input '{name}' expects shape {expected.ShapeText} ({expected}), but the tensor has shape {OnnxTensor.FormatShape(tensor.ShapeArray)}.", nameof(inputs));
            given[index] = true;
            indices[n] = index;
            tensors[n++] = tensor;
        }
        var missing = InputMetadata.Where((_, i) => !given[i]).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"Missing input{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} of {Description}.", nameof(inputs));
        return (indices, tensors);
    }

    private int[] CheckOutputs(IReadOnlyList<string>? outputNames)
    {
        if (outputNames is null) return Enumerable.Range(0, OutputMetadata.Count).ToArray();
        if (outputNames.Count == 0) throw new ArgumentException("Ask for at least one output, or pass null for all of them.", nameof(outputNames));
        var result = new int[outputNames.Count];
        for (var i = 0; i < result.Length; i++)
        {
            if (!outputIndex.TryGetValue(outputNames[i] ?? "", out result[i]))
                throw new ArgumentException($"'{outputNames[i]}' is not an output of {Description}; its outputs are {string.Join(", ", OutputMetadata)}.", nameof(outputNames));
            if (Array.IndexOf(result, result[i], 0, i) >= 0)
                throw new ArgumentException($"Output '{outputNames[i]}' is asked for twice.", nameof(outputNames));
        }
        return result;
    }

    private static OnnxTensor ReadOutput(OrtApi api, nint value, string name)
    {
        int onnxType;
        api.Check(api.GetValueType(value, &onnxType), $"Reading the type of output '{name}' failed");
        if (onnxType != OrtApi.OnnxTypeTensor)
            throw new NotSupportedException($"Output '{name}' is not a tensor (ONNX type {onnxType}); MnistMl.OnnxRuntime fetches tensors only.");

        nint info;
        int elementType;
        nuint rank, count;
        long[] shape;
        api.Check(api.GetTensorTypeAndShape(value, &info), $"Reading the shape of output '{name}' failed");
        try
        {
            api.Check(api.GetTensorElementType(info, &elementType), $"Reading the element type of output '{name}' failed");
            api.Check(api.GetDimensionsCount(info, &rank), $"Reading the rank of output '{name}' failed");
            shape = new long[(int)rank];
            fixed (long* dims = shape) api.Check(api.GetDimensions(info, dims, rank), $"Reading the shape of output '{name}' failed");
            api.Check(api.GetTensorShapeElementCount(info, &count), $"Reading the size of output '{name}' failed");
        }
        finally
        {
            api.ReleaseTensorTypeAndShapeInfo(info);
        }

        var type = (TensorElementType)elementType;
        var data = TensorElementTypes.NewArray(type, (long)count, $"Output '{name}'");
        var bytes = (long)count * TensorElementTypes.Size(type);
        if (bytes > 0)
        {
            void* source;
            api.Check(api.GetTensorMutableData(value, &source), $"Reading the data of output '{name}' failed");
            fixed (byte* destination = &MemoryMarshal.GetArrayDataReference(data))
                Buffer.MemoryCopy(source, destination, bytes, bytes);
        }
        return OnnxTensor.FromOutput(data, type, shape);
    }
}
