using System.Runtime.InteropServices;

namespace MnistMl.Torch.Native;

/// <summary>The flat C surface of libmnistml_native (see src/MnistMl.Native/src). Returned IntPtr handles are owned by the caller.</summary>
internal static unsafe class NativeMethods
{
    private const string Lib = "mnistml_native";

    /// <summary>
    /// Intra-op threads unless OMP_NUM_THREADS says otherwise. Measured on the 2-core machines this project runs on
    /// (benchmarks/MnistMl.Benchmarks threads): one thread trains the MLP 784-600-200-10 2.6× and the small CNN 1.9×
    /// faster than two, because OpenMP and OpenBLAS threads contend for the same two cores.
    /// </summary>
    internal const int DefaultThreads = 1;

    static NativeMethods()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
            mm_set_num_threads(DefaultThreads);
    }

    internal static string LastError() => Marshal.PtrToStringUTF8(mm_last_error()) ?? "";

    [DllImport(Lib)] internal static extern IntPtr mm_last_error();

    // runtime
    [DllImport(Lib)] internal static extern int mm_manual_seed(ulong seed);
    [DllImport(Lib)] internal static extern int mm_set_num_threads(int threads);
    [DllImport(Lib)] internal static extern int mm_get_num_threads();
    [DllImport(Lib)] internal static extern int mm_set_grad_enabled(int enabled);
    [DllImport(Lib)] internal static extern int mm_is_grad_enabled();
    [DllImport(Lib)] internal static extern IntPtr mm_torch_version();

    // lifetime and creation
    [DllImport(Lib)] internal static extern void mm_tensor_free(IntPtr h);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_alias(TensorHandle h);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_from_data(void* data, sbyte dtype, long* shape, int ndim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_empty(long* shape, int ndim, sbyte dtype);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_full(long* shape, int ndim, sbyte dtype, double value);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_rand(long* shape, int ndim, sbyte dtype);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_randn(long* shape, int ndim, sbyte dtype);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_randint(long low, long high, long* shape, int ndim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_randperm(long n);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_arange(double start, double end, double step, sbyte dtype);

    // properties and data
    [DllImport(Lib)] internal static extern int mm_tensor_ndim(TensorHandle h);
    [DllImport(Lib)] internal static extern void mm_tensor_shape(TensorHandle h, long* shape);
    [DllImport(Lib)] internal static extern long mm_tensor_numel(TensorHandle h);
    [DllImport(Lib)] internal static extern sbyte mm_tensor_dtype(TensorHandle h);
    [DllImport(Lib)] internal static extern int mm_tensor_is_contiguous(TensorHandle h);
    [DllImport(Lib)] internal static extern void* mm_tensor_data_ptr(TensorHandle h);
    [DllImport(Lib)] internal static extern int mm_tensor_copy_to(TensorHandle h, void* destination, long bytes);
    [DllImport(Lib)] internal static extern int mm_tensor_item(TensorHandle h, out double value);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_to_dtype(TensorHandle h, sbyte dtype);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_clone(TensorHandle h);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_contiguous(TensorHandle h);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_detach(TensorHandle h);

    // autograd
    [DllImport(Lib)] internal static extern int mm_tensor_requires_grad(TensorHandle h);
    [DllImport(Lib)] internal static extern int mm_tensor_set_requires_grad(TensorHandle h, int flag);
    [DllImport(Lib)] internal static extern int mm_tensor_is_leaf(TensorHandle h);
    [DllImport(Lib)] internal static extern int mm_tensor_grad(TensorHandle h, out IntPtr grad);
    [DllImport(Lib)] internal static extern int mm_tensor_set_grad(TensorHandle h, TensorHandle grad);
    [DllImport(Lib)] internal static extern int mm_tensor_backward(TensorHandle h, TensorHandle gradient, int retainGraph);

    // shape and indexing
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_reshape(TensorHandle h, long* shape, int ndim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_view(TensorHandle h, long* shape, int ndim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_flatten(TensorHandle h, long startDim, long endDim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_permute(TensorHandle h, long* dims, int ndim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_transpose(TensorHandle h, long dim0, long dim1);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_squeeze(TensorHandle h, long dim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_unsqueeze(TensorHandle h, long dim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_expand(TensorHandle h, long* shape, int ndim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_cat(IntPtr* handles, int count, long dim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_stack(IntPtr* handles, int count, long dim);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_select(TensorHandle h, long dim, long index);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_slice(TensorHandle h, long dim, long start, long end, long step);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_index_select(TensorHandle h, long dim, TensorHandle index);
    [DllImport(Lib)] internal static extern IntPtr mm_tensor_one_hot(TensorHandle h, long numClasses);

    // math
    [DllImport(Lib)] internal static extern IntPtr mm_unary(TensorHandle x, UnaryOp op);
    [DllImport(Lib)] internal static extern int mm_unary_(TensorHandle x, UnaryOp op);
    [DllImport(Lib)] internal static extern IntPtr mm_binary(TensorHandle a, TensorHandle b, BinaryOp op, double alpha);
    [DllImport(Lib)] internal static extern IntPtr mm_binary_scalar(TensorHandle a, double s, BinaryOp op);
    [DllImport(Lib)] internal static extern IntPtr mm_scalar_binary(double s, TensorHandle b, BinaryOp op);
    [DllImport(Lib)] internal static extern int mm_binary_(TensorHandle a, TensorHandle b, BinaryOp op, double alpha);
    [DllImport(Lib)] internal static extern int mm_binary_scalar_(TensorHandle a, double s, BinaryOp op);
    [DllImport(Lib)] internal static extern int mm_addcmul_(TensorHandle a, TensorHandle t1, TensorHandle t2, double value);
    [DllImport(Lib)] internal static extern int mm_addcdiv_(TensorHandle a, TensorHandle t1, TensorHandle t2, double value);
    [DllImport(Lib)] internal static extern int mm_zero_(TensorHandle a);
    [DllImport(Lib)] internal static extern IntPtr mm_clamp(TensorHandle x, double min, double max, int hasMin, int hasMax);
    [DllImport(Lib)] internal static extern int mm_clamp_(TensorHandle x, double min, double max, int hasMin, int hasMax);
    [DllImport(Lib)] internal static extern int mm_uniform_(TensorHandle x, double from, double to);
    [DllImport(Lib)] internal static extern int mm_normal_(TensorHandle x, double mean, double std);
    [DllImport(Lib)] internal static extern IntPtr mm_where(TensorHandle condition, TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern IntPtr mm_matmul(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern IntPtr mm_reduce(TensorHandle x, ReduceOp op, long* dims, int ndims, int keepdim, int unbiased);
    [DllImport(Lib)] internal static extern int mm_max_min_dim(TensorHandle x, long dim, int keepdim, int largest, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern IntPtr mm_argmax(TensorHandle x, long dim, int hasDim, int keepdim);
    [DllImport(Lib)] internal static extern IntPtr mm_argmin(TensorHandle x, long dim, int hasDim, int keepdim);
    [DllImport(Lib)] internal static extern int mm_topk(TensorHandle x, long k, long dim, int largest, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern IntPtr mm_norm(TensorHandle x, double p);

    // nn
    [DllImport(Lib)] internal static extern IntPtr mm_linear(TensorHandle x, TensorHandle weight, TensorHandle bias);
    [DllImport(Lib)] internal static extern IntPtr mm_conv2d(TensorHandle x, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* dilation, long groups);
    [DllImport(Lib)] internal static extern IntPtr mm_max_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, long* dilation, int ceilMode);
    [DllImport(Lib)] internal static extern IntPtr mm_avg_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [DllImport(Lib)] internal static extern IntPtr mm_adaptive_avg_pool2d(TensorHandle x, long* outputSize);
    [DllImport(Lib)] internal static extern IntPtr mm_batch_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps);
    [DllImport(Lib)] internal static extern IntPtr mm_dropout(TensorHandle x, double p, int training);
    [DllImport(Lib)] internal static extern IntPtr mm_pad(TensorHandle x, long* pads, int count, int mode, double value);
    [DllImport(Lib)] internal static extern IntPtr mm_interpolate(TensorHandle x, long* size, int mode, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr mm_leaky_relu(TensorHandle x, double slope);
    [DllImport(Lib)] internal static extern IntPtr mm_elu(TensorHandle x, double alpha);
    [DllImport(Lib)] internal static extern IntPtr mm_gelu(TensorHandle x, int tanhApproximation);
    [DllImport(Lib)] internal static extern IntPtr mm_hardtanh(TensorHandle x, double min, double max);
    [DllImport(Lib)] internal static extern IntPtr mm_softplus(TensorHandle x, double beta, double threshold);
    [DllImport(Lib)] internal static extern IntPtr mm_softmax(TensorHandle x, long dim);
    [DllImport(Lib)] internal static extern IntPtr mm_log_softmax(TensorHandle x, long dim);
    [DllImport(Lib)] internal static extern IntPtr mm_cross_entropy(TensorHandle logits, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex, double labelSmoothing);
    [DllImport(Lib)] internal static extern IntPtr mm_nll_loss(TensorHandle logProbs, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex);
    [DllImport(Lib)] internal static extern IntPtr mm_mse_loss(TensorHandle input, TensorHandle target, int reduction);
    [DllImport(Lib)] internal static extern IntPtr mm_l1_loss(TensorHandle input, TensorHandle target, int reduction);
}
