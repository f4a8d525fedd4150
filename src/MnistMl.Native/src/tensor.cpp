// Tensor lifetime, creation, data access, autograd and shape/indexing operations.
#include "shim.h"

// ---- lifetime ----
MM_API void mm_tensor_free(TensorHandle h) { delete h; }

// A second handle to the same tensor (shares storage and autograd identity).
MM_API TensorHandle mm_tensor_alias(TensorHandle h) { MM_RETURN_TENSOR(at::Tensor(*h)); }

// ---- creation ----
MM_API TensorHandle mm_tensor_from_data(const void* data, int8_t dtype, const int64_t* shape, int32_t ndim) {
  // from_blob wraps managed memory without owning it; clone copies it once into libtorch's allocator.
  MM_RETURN_TENSOR(at::from_blob(const_cast<void*>(data), mm_dims(shape, ndim), mm_options(dtype)).clone());
}

MM_API TensorHandle mm_tensor_empty(const int64_t* shape, int32_t ndim, int8_t dtype) {
  MM_RETURN_TENSOR(at::empty(mm_dims(shape, ndim), mm_options(dtype)));
}

MM_API TensorHandle mm_tensor_full(const int64_t* shape, int32_t ndim, int8_t dtype, double value) {
  MM_RETURN_TENSOR(at::full(mm_dims(shape, ndim), value, mm_options(dtype)));
}

MM_API TensorHandle mm_tensor_rand(const int64_t* shape, int32_t ndim, int8_t dtype) {
  MM_RETURN_TENSOR(at::rand(mm_dims(shape, ndim), mm_options(dtype)));
}

MM_API TensorHandle mm_tensor_randn(const int64_t* shape, int32_t ndim, int8_t dtype) {
  MM_RETURN_TENSOR(at::randn(mm_dims(shape, ndim), mm_options(dtype)));
}

MM_API TensorHandle mm_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim) {
  MM_RETURN_TENSOR(at::randint(low, high, mm_dims(shape, ndim), mm_options(static_cast<int8_t>(at::kLong))));
}

MM_API TensorHandle mm_tensor_randperm(int64_t n) { MM_RETURN_TENSOR(at::randperm(n, at::kLong)); }

MM_API TensorHandle mm_tensor_arange(double start, double end, double step, int8_t dtype) {
  MM_RETURN_TENSOR(at::arange(start, end, step, mm_options(dtype)));
}

// ---- properties and data ----
MM_API int32_t mm_tensor_ndim(TensorHandle h) { return static_cast<int32_t>(h->dim()); }

MM_API void mm_tensor_shape(TensorHandle h, int64_t* out) {
  auto sizes = h->sizes();
  for (size_t i = 0; i < sizes.size(); ++i) out[i] = sizes[i];
}

MM_API int64_t mm_tensor_numel(TensorHandle h) { return h->numel(); }

MM_API int8_t mm_tensor_dtype(TensorHandle h) { return static_cast<int8_t>(h->scalar_type()); }

MM_API int32_t mm_tensor_is_contiguous(TensorHandle h) { return h->is_contiguous() ? 1 : 0; }

// Pointer to the first element of a contiguous CPU tensor (valid while the tensor lives).
MM_API void* mm_tensor_data_ptr(TensorHandle h) { return h->data_ptr(); }

// Copies the elements, in row-major order, into caller memory of exactly numel * itemsize bytes.
MM_API int32_t mm_tensor_copy_to(TensorHandle h, void* destination, int64_t bytes) {
  MM_RETURN_STATUS(
      auto source = h->detach().contiguous();
      int64_t needed = source.numel() * static_cast<int64_t>(source.element_size());
      TORCH_CHECK(needed == bytes, "copy_to: destination holds ", bytes, " bytes, tensor needs ", needed);
      if (needed > 0) std::memcpy(destination, source.data_ptr(), static_cast<size_t>(needed)));
}

MM_API int32_t mm_tensor_item(TensorHandle h, double* out) { MM_RETURN_STATUS(*out = h->item<double>()); }

MM_API TensorHandle mm_tensor_to_dtype(TensorHandle h, int8_t dtype) {
  MM_RETURN_TENSOR(h->to(static_cast<at::ScalarType>(dtype)));
}

MM_API TensorHandle mm_tensor_clone(TensorHandle h) { MM_RETURN_TENSOR(h->clone()); }
MM_API TensorHandle mm_tensor_contiguous(TensorHandle h) { MM_RETURN_TENSOR(h->contiguous()); }
MM_API TensorHandle mm_tensor_detach(TensorHandle h) { MM_RETURN_TENSOR(h->detach()); }

// ---- autograd ----
MM_API int32_t mm_tensor_requires_grad(TensorHandle h) { return h->requires_grad() ? 1 : 0; }

MM_API int32_t mm_tensor_set_requires_grad(TensorHandle h, int32_t flag) {
  MM_RETURN_STATUS(h->set_requires_grad(flag != 0));
}

MM_API int32_t mm_tensor_is_leaf(TensorHandle h) { return h->is_leaf() ? 1 : 0; }

// *out is nullptr when the tensor has no gradient yet.
MM_API int32_t mm_tensor_grad(TensorHandle h, TensorHandle* out) {
  MM_RETURN_STATUS(
      const at::Tensor& g = h->grad();
      *out = g.defined() ? new at::Tensor(g) : nullptr);
}

// Sets (or, with nullptr, clears) the gradient, as `p.grad = g` / `p.grad = None`.
MM_API int32_t mm_tensor_set_grad(TensorHandle h, TensorHandle grad) {
  MM_RETURN_STATUS(h->mutable_grad() = grad ? *grad : at::Tensor());
}

MM_API int32_t mm_tensor_backward(TensorHandle h, TensorHandle gradient, int32_t retain_graph) {
  MM_RETURN_STATUS(h->backward(gradient ? *gradient : at::Tensor(), retain_graph != 0));
}

// ---- shape ----
MM_API TensorHandle mm_tensor_reshape(TensorHandle h, const int64_t* shape, int32_t ndim) {
  MM_RETURN_TENSOR(h->reshape(mm_dims(shape, ndim)));
}
MM_API TensorHandle mm_tensor_view(TensorHandle h, const int64_t* shape, int32_t ndim) {
  MM_RETURN_TENSOR(h->view(mm_dims(shape, ndim)));
}
MM_API TensorHandle mm_tensor_flatten(TensorHandle h, int64_t start_dim, int64_t end_dim) {
  MM_RETURN_TENSOR(h->flatten(start_dim, end_dim));
}
MM_API TensorHandle mm_tensor_permute(TensorHandle h, const int64_t* dims, int32_t ndim) {
  MM_RETURN_TENSOR(h->permute(mm_dims(dims, ndim)));
}
MM_API TensorHandle mm_tensor_transpose(TensorHandle h, int64_t dim0, int64_t dim1) {
  MM_RETURN_TENSOR(h->transpose(dim0, dim1));
}
MM_API TensorHandle mm_tensor_squeeze(TensorHandle h, int64_t dim) { MM_RETURN_TENSOR(h->squeeze(dim)); }
MM_API TensorHandle mm_tensor_unsqueeze(TensorHandle h, int64_t dim) { MM_RETURN_TENSOR(h->unsqueeze(dim)); }
MM_API TensorHandle mm_tensor_expand(TensorHandle h, const int64_t* shape, int32_t ndim) {
  MM_RETURN_TENSOR(h->expand(mm_dims(shape, ndim)));
}
MM_API TensorHandle mm_tensor_cat(const TensorHandle* handles, int32_t count, int64_t dim) {
  MM_RETURN_TENSOR(at::cat(mm_list(handles, count), dim));
}
MM_API TensorHandle mm_tensor_stack(const TensorHandle* handles, int32_t count, int64_t dim) {
  MM_RETURN_TENSOR(at::stack(mm_list(handles, count), dim));
}

// ---- indexing ----
MM_API TensorHandle mm_tensor_select(TensorHandle h, int64_t dim, int64_t index) {
  MM_RETURN_TENSOR(h->select(dim, index));
}
MM_API TensorHandle mm_tensor_slice(TensorHandle h, int64_t dim, int64_t start, int64_t end, int64_t step) {
  MM_RETURN_TENSOR(h->slice(dim, start, end, step));
}
MM_API TensorHandle mm_tensor_index_select(TensorHandle h, int64_t dim, TensorHandle index) {
  MM_RETURN_TENSOR(h->index_select(dim, *index));
}
MM_API TensorHandle mm_tensor_one_hot(TensorHandle h, int64_t num_classes) {
  MM_RETURN_TENSOR(at::one_hot(*h, num_classes));
}
