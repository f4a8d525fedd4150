// Elementwise arithmetic, comparisons, in-place updates (used by optimizers), reductions.
// Operation codes are mirrored by C# enums in MnistMl.Torch/Native/*Op.cs; keep both in step.
#include "shim.h"

namespace {

enum UnaryOp : int32_t {
  kNeg = 0, kAbs, kSqrt, kRsqrt, kExp, kLog, kLog1p, kExpm1, kSquare, kSign, kReciprocal,
  kErfinv, kFloor, kCeil, kRound, kSin, kCos, kLogicalNot, kIsNan, kIsFinite,
  kRelu, kSigmoid, kTanh, kSelu, kSilu, kErf
};

at::Tensor unary(const at::Tensor& x, int32_t op) {
  switch (op) {
    case kNeg: return x.neg();
    case kAbs: return x.abs();
    case kSqrt: return x.sqrt();
    case kRsqrt: return x.rsqrt();
    case kExp: return x.exp();
    case kLog: return x.log();
    case kLog1p: return x.log1p();
    case kExpm1: return x.expm1();
    case kSquare: return x.square();
    case kSign: return x.sign();
    case kReciprocal: return x.reciprocal();
    case kErfinv: return x.erfinv();
    case kFloor: return x.floor();
    case kCeil: return x.ceil();
    case kRound: return x.round();
    case kSin: return x.sin();
    case kCos: return x.cos();
    case kLogicalNot: return x.logical_not();
    case kIsNan: return x.isnan();
    case kIsFinite: return x.isfinite();
    case kRelu: return x.relu();
    case kSigmoid: return x.sigmoid();
    case kTanh: return x.tanh();
    case kSelu: return at::selu(x);
    case kSilu: return at::silu(x);
    case kErf: return x.erf();
  }
  TORCH_CHECK(false, "unknown unary operation code ", op);
}

void unary_(at::Tensor& x, int32_t op) {
  switch (op) {
    case kNeg: x.neg_(); return;
    case kAbs: x.abs_(); return;
    case kSqrt: x.sqrt_(); return;
    case kExp: x.exp_(); return;
    case kLog: x.log_(); return;
    case kSquare: x.square_(); return;
    case kErfinv: x.erfinv_(); return;
    case kRelu: x.relu_(); return;
    case kSigmoid: x.sigmoid_(); return;
    case kTanh: x.tanh_(); return;
  }
  TORCH_CHECK(false, "unary operation code ", op, " has no in-place form");
}

enum BinaryOp : int32_t {
  kAdd = 0, kSub, kMul, kDiv, kPow, kEq, kNe, kLt, kLe, kGt, kGe, kMaximum, kMinimum,
  kRemainder, kLogicalAnd, kLogicalOr, kCopy, kFill
};

at::Tensor binary(const at::Tensor& a, const at::Tensor& b, int32_t op, double alpha) {
  switch (op) {
    case kAdd: return at::add(a, b, alpha);
    case kSub: return at::sub(a, b, alpha);
    case kMul: return at::mul(a, b);
    case kDiv: return at::div(a, b);
    case kPow: return at::pow(a, b);
    case kEq: return at::eq(a, b);
    case kNe: return at::ne(a, b);
    case kLt: return at::lt(a, b);
    case kLe: return at::le(a, b);
    case kGt: return at::gt(a, b);
    case kGe: return at::ge(a, b);
    case kMaximum: return at::maximum(a, b);
    case kMinimum: return at::minimum(a, b);
    case kRemainder: return at::remainder(a, b);
    case kLogicalAnd: return at::logical_and(a, b);
    case kLogicalOr: return at::logical_or(a, b);
  }
  TORCH_CHECK(false, "unknown binary operation code ", op);
}

at::Tensor binary_scalar(const at::Tensor& a, double s, int32_t op) {
  switch (op) {
    case kAdd: return at::add(a, s);
    case kSub: return at::sub(a, s);
    case kMul: return at::mul(a, s);
    case kDiv: return at::div(a, s);
    case kPow: return at::pow(a, s);
    case kEq: return at::eq(a, s);
    case kNe: return at::ne(a, s);
    case kLt: return at::lt(a, s);
    case kLe: return at::le(a, s);
    case kGt: return at::gt(a, s);
    case kGe: return at::ge(a, s);
    case kRemainder: return at::remainder(a, s);
  }
  TORCH_CHECK(false, "binary operation code ", op, " has no tensor-scalar form");
}

// scalar (op) tensor, for the cases where the order matters.
at::Tensor scalar_binary(double s, const at::Tensor& b, int32_t op) {
  switch (op) {
    case kAdd: return at::add(b, s);
    case kMul: return at::mul(b, s);
    case kSub: return at::rsub(b, s);
    case kDiv: return at::mul(b.reciprocal(), s);
    case kPow: return at::pow(s, b);
  }
  TORCH_CHECK(false, "binary operation code ", op, " has no scalar-tensor form");
}

void binary_(at::Tensor& a, const at::Tensor& b, int32_t op, double alpha) {
  switch (op) {
    case kAdd: a.add_(b, alpha); return;
    case kSub: a.sub_(b, alpha); return;
    case kMul: a.mul_(b); return;
    case kDiv: a.div_(b); return;
    case kPow: a.pow_(b); return;
    case kMaximum: at::maximum_out(a, a, b); return;
    case kMinimum: at::minimum_out(a, a, b); return;
    case kCopy: a.copy_(b); return;
  }
  TORCH_CHECK(false, "binary operation code ", op, " has no in-place form");
}

void binary_scalar_(at::Tensor& a, double s, int32_t op) {
  switch (op) {
    case kAdd: a.add_(s); return;
    case kSub: a.sub_(s); return;
    case kMul: a.mul_(s); return;
    case kDiv: a.div_(s); return;
    case kPow: a.pow_(s); return;
    case kFill: a.fill_(s); return;
  }
  TORCH_CHECK(false, "binary operation code ", op, " has no in-place scalar form");
}

enum ReduceOp : int32_t { kSum = 0, kMean, kAmax, kAmin, kVar, kStd, kProd };

at::Tensor reduce(const at::Tensor& x, int32_t op, at::IntArrayRef dims, bool keepdim, bool unbiased) {
  bool all = dims.empty();
  switch (op) {
    case kSum: return all ? x.sum() : x.sum(dims, keepdim);
    case kMean: return all ? x.mean() : x.mean(dims, keepdim);
    case kAmax: return all ? x.max() : x.amax(dims, keepdim);
    case kAmin: return all ? x.min() : x.amin(dims, keepdim);
    case kVar: return all ? x.var(unbiased) : x.var(dims, unbiased, keepdim);
    case kStd: return all ? x.std(unbiased) : x.std(dims, unbiased, keepdim);
    case kProd:
      TORCH_CHECK(all || dims.size() == 1, "prod reduces all dimensions or exactly one");
      return all ? x.prod() : x.prod(dims[0], keepdim);
  }
  TORCH_CHECK(false, "unknown reduction code ", op);
}

}  // namespace

MM_API TensorHandle mm_unary(TensorHandle x, int32_t op) { MM_RETURN_TENSOR(unary(*x, op)); }
MM_API int32_t mm_unary_(TensorHandle x, int32_t op) { MM_RETURN_STATUS(unary_(*x, op)); }

MM_API TensorHandle mm_binary(TensorHandle a, TensorHandle b, int32_t op, double alpha) {
  MM_RETURN_TENSOR(binary(*a, *b, op, alpha));
}
MM_API TensorHandle mm_binary_scalar(TensorHandle a, double s, int32_t op) {
  MM_RETURN_TENSOR(binary_scalar(*a, s, op));
}
MM_API TensorHandle mm_scalar_binary(double s, TensorHandle b, int32_t op) {
  MM_RETURN_TENSOR(scalar_binary(s, *b, op));
}
MM_API int32_t mm_binary_(TensorHandle a, TensorHandle b, int32_t op, double alpha) {
  MM_RETURN_STATUS(binary_(*a, *b, op, alpha));
}
MM_API int32_t mm_binary_scalar_(TensorHandle a, double s, int32_t op) {
  MM_RETURN_STATUS(binary_scalar_(*a, s, op));
}

// a += value * t1 * t2
MM_API int32_t mm_addcmul_(TensorHandle a, TensorHandle t1, TensorHandle t2, double value) {
  MM_RETURN_STATUS(a->addcmul_(*t1, *t2, value));
}
// a += value * t1 / t2
MM_API int32_t mm_addcdiv_(TensorHandle a, TensorHandle t1, TensorHandle t2, double value) {
  MM_RETURN_STATUS(a->addcdiv_(*t1, *t2, value));
}
MM_API int32_t mm_zero_(TensorHandle a) { MM_RETURN_STATUS(a->zero_()); }

// Bounds are optional: has_min / has_max say which apply.
MM_API TensorHandle mm_clamp(TensorHandle x, double min, double max, int32_t has_min, int32_t has_max) {
  MM_RETURN_TENSOR(at::clamp(*x, has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                             has_max ? c10::optional<at::Scalar>(max) : c10::nullopt));
}
MM_API int32_t mm_clamp_(TensorHandle x, double min, double max, int32_t has_min, int32_t has_max) {
  MM_RETURN_STATUS(at::clamp_(*x, has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                              has_max ? c10::optional<at::Scalar>(max) : c10::nullopt));
}

MM_API int32_t mm_uniform_(TensorHandle x, double from, double to) { MM_RETURN_STATUS(x->uniform_(from, to)); }
MM_API int32_t mm_normal_(TensorHandle x, double mean, double std) { MM_RETURN_STATUS(x->normal_(mean, std)); }

MM_API TensorHandle mm_where(TensorHandle condition, TensorHandle a, TensorHandle b) {
  MM_RETURN_TENSOR(at::where(*condition, *a, *b));
}
MM_API TensorHandle mm_matmul(TensorHandle a, TensorHandle b) { MM_RETURN_TENSOR(at::matmul(*a, *b)); }

// ndims == 0 reduces over all elements.
MM_API TensorHandle mm_reduce(TensorHandle x, int32_t op, const int64_t* dims, int32_t ndims, int32_t keepdim,
                              int32_t unbiased) {
  MM_RETURN_TENSOR(reduce(*x, op, mm_dims(dims, ndims), keepdim != 0, unbiased != 0));
}

// Values and indices along one dimension (max when largest != 0, else min).
MM_API int32_t mm_max_min_dim(TensorHandle x, int64_t dim, int32_t keepdim, int32_t largest, TensorHandle* values,
                              TensorHandle* indices) {
  MM_RETURN_STATUS(
      auto result = largest ? at::max(*x, dim, keepdim != 0) : at::min(*x, dim, keepdim != 0);
      *values = new at::Tensor(std::get<0>(result));
      *indices = new at::Tensor(std::get<1>(result)));
}

MM_API TensorHandle mm_argmax(TensorHandle x, int64_t dim, int32_t has_dim, int32_t keepdim) {
  MM_RETURN_TENSOR(at::argmax(*x, has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0));
}
MM_API TensorHandle mm_argmin(TensorHandle x, int64_t dim, int32_t has_dim, int32_t keepdim) {
  MM_RETURN_TENSOR(at::argmin(*x, has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0));
}

MM_API int32_t mm_topk(TensorHandle x, int64_t k, int64_t dim, int32_t largest, TensorHandle* values,
                       TensorHandle* indices) {
  MM_RETURN_STATUS(
      auto result = at::topk(*x, k, dim, largest != 0, true);
      *values = new at::Tensor(std::get<0>(result));
      *indices = new at::Tensor(std::get<1>(result)));
}

MM_API TensorHandle mm_norm(TensorHandle x, double p) { MM_RETURN_TENSOR(at::norm(*x, p)); }
