// Neural-network functional operations (torch.nn.functional) and losses.
#include "shim.h"

MM_API TensorHandle mm_linear(TensorHandle x, TensorHandle weight, TensorHandle bias) {
  MM_RETURN_TENSOR(at::linear(*x, *weight, mm_optional(bias)));
}

// Two-element arrays: stride, padding, dilation (height, width). Asymmetric padding is done with mm_pad first.
MM_API TensorHandle mm_conv2d(TensorHandle x, TensorHandle weight, TensorHandle bias, const int64_t* stride,
                              const int64_t* padding, const int64_t* dilation, int64_t groups) {
  MM_RETURN_TENSOR(at::conv2d(*x, *weight, mm_optional(bias), mm_dims(stride, 2), mm_dims(padding, 2),
                              mm_dims(dilation, 2), groups));
}

MM_API TensorHandle mm_max_pool2d(TensorHandle x, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, const int64_t* dilation, int32_t ceil_mode) {
  MM_RETURN_TENSOR(at::max_pool2d(*x, mm_dims(kernel, 2), mm_dims(stride, 2), mm_dims(padding, 2),
                                  mm_dims(dilation, 2), ceil_mode != 0));
}

MM_API TensorHandle mm_avg_pool2d(TensorHandle x, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad) {
  MM_RETURN_TENSOR(at::avg_pool2d(*x, mm_dims(kernel, 2), mm_dims(stride, 2), mm_dims(padding, 2), ceil_mode != 0,
                                  count_include_pad != 0));
}

MM_API TensorHandle mm_adaptive_avg_pool2d(TensorHandle x, const int64_t* output_size) {
  MM_RETURN_TENSOR(at::adaptive_avg_pool2d(*x, mm_dims(output_size, 2)));
}

// Updates running_mean / running_var in place when training (PyTorch momentum convention).
MM_API TensorHandle mm_batch_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle running_mean,
                                  TensorHandle running_var, int32_t training, double momentum, double eps) {
  MM_RETURN_TENSOR(at::batch_norm(*x, mm_optional(weight), mm_optional(bias), mm_optional(running_mean),
                                  mm_optional(running_var), training != 0, momentum, eps, false));
}

MM_API TensorHandle mm_dropout(TensorHandle x, double p, int32_t training) {
  MM_RETURN_TENSOR(at::dropout(*x, p, training != 0));
}

// pads: (left, right, top, bottom, ...) as torch.nn.functional.pad; mode 0 constant, 1 reflect, 2 replicate.
// at::pad is what F.pad calls: it picks the 1-D, 2-D or 3-D reflect/replicate kernel from the number of pads.
MM_API TensorHandle mm_pad(TensorHandle x, const int64_t* pads, int32_t count, int32_t mode, double value) {
  MM_RETURN_TENSOR(mode == 0   ? at::pad(*x, mm_dims(pads, count), "constant", value)
                   : mode == 1 ? at::pad(*x, mm_dims(pads, count), "reflect")
                               : at::pad(*x, mm_dims(pads, count), "replicate"));
}

// mode 0 bilinear, 1 nearest, 2 bicubic.
MM_API TensorHandle mm_interpolate(TensorHandle x, const int64_t* size, int32_t mode, int32_t align_corners) {
  MM_RETURN_TENSOR(mode == 0   ? at::upsample_bilinear2d(*x, mm_dims(size, 2), align_corners != 0)
                   : mode == 1 ? at::upsample_nearest2d(*x, mm_dims(size, 2))
                               : at::upsample_bicubic2d(*x, mm_dims(size, 2), align_corners != 0));
}

// ---- activations with parameters ----
MM_API TensorHandle mm_leaky_relu(TensorHandle x, double slope) { MM_RETURN_TENSOR(at::leaky_relu(*x, slope)); }
MM_API TensorHandle mm_elu(TensorHandle x, double alpha) { MM_RETURN_TENSOR(at::elu(*x, alpha)); }
MM_API TensorHandle mm_gelu(TensorHandle x, int32_t tanh_approximation) {
  MM_RETURN_TENSOR(at::gelu(*x, tanh_approximation ? "tanh" : "none"));
}
MM_API TensorHandle mm_hardtanh(TensorHandle x, double min, double max) { MM_RETURN_TENSOR(at::hardtanh(*x, min, max)); }
MM_API TensorHandle mm_softplus(TensorHandle x, double beta, double threshold) {
  MM_RETURN_TENSOR(at::softplus(*x, beta, threshold));
}
MM_API TensorHandle mm_softmax(TensorHandle x, int64_t dim) { MM_RETURN_TENSOR(at::softmax(*x, dim)); }
MM_API TensorHandle mm_log_softmax(TensorHandle x, int64_t dim) { MM_RETURN_TENSOR(at::log_softmax(*x, dim)); }

// ---- losses (reduction: 0 none, 1 mean, 2 sum, as at::Reduction) ----
// Integer targets are class indices; floating targets are class probabilities (one-hot or soft).
MM_API TensorHandle mm_cross_entropy(TensorHandle logits, TensorHandle target, TensorHandle weight, int32_t reduction,
                                     int64_t ignore_index, double label_smoothing) {
  MM_RETURN_TENSOR(at::cross_entropy_loss(*logits, *target, mm_optional(weight), reduction, ignore_index,
                                          label_smoothing));
}
MM_API TensorHandle mm_nll_loss(TensorHandle log_probs, TensorHandle target, TensorHandle weight, int32_t reduction,
                                int64_t ignore_index) {
  MM_RETURN_TENSOR(at::nll_loss_nd(*log_probs, *target, mm_optional(weight), reduction, ignore_index));
}
MM_API TensorHandle mm_mse_loss(TensorHandle input, TensorHandle target, int32_t reduction) {
  MM_RETURN_TENSOR(at::mse_loss(*input, *target, reduction));
}
MM_API TensorHandle mm_l1_loss(TensorHandle input, TensorHandle target, int32_t reduction) {
  MM_RETURN_TENSOR(at::l1_loss(*input, *target, reduction));
}
