// Shared helpers of the extern "C" shim: handle conversion and the error boundary.
// No C++ exception may cross into C#: every entry point catches and records the message,
// then returns nullptr (tensor-producing calls) or -1 (status calls).
#pragma once
#include <ATen/ATen.h>
#include <c10/util/Optional.h>
#include <cstdint>
#include <string>

#define MM_API extern "C" __attribute__((visibility("default")))

typedef at::Tensor* TensorHandle;

void mm_record_error(const char* message);

#define MM_CATCH(fail_value)                                   \
  catch (const c10::Error& e) {                                \
    mm_record_error(e.what_without_backtrace());               \
    return fail_value;                                         \
  }                                                            \
  catch (const std::exception& e) {                            \
    mm_record_error(e.what());                                 \
    return fail_value;                                         \
  }                                                            \
  catch (...) {                                                \
    mm_record_error("unknown native error");                   \
    return fail_value;                                         \
  }

// Runs an expression producing an at::Tensor and hands ownership of a new handle to C#.
#define MM_RETURN_TENSOR(expr)                                 \
  try {                                                        \
    return new at::Tensor(expr);                               \
  }                                                            \
  MM_CATCH(nullptr)

// Runs statements; 0 on success, -1 with the error recorded on failure.
#define MM_RETURN_STATUS(...)                                  \
  try {                                                        \
    __VA_ARGS__;                                               \
    return 0;                                                  \
  }                                                            \
  MM_CATCH(-1)

inline at::IntArrayRef mm_dims(const int64_t* values, int32_t count) {
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

inline c10::optional<at::Tensor> mm_optional(TensorHandle h) {
  return h ? c10::optional<at::Tensor>(*h) : c10::nullopt;
}

inline std::vector<at::Tensor> mm_list(const TensorHandle* handles, int32_t count) {
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) list.push_back(*handles[i]);
  return list;
}

inline at::TensorOptions mm_options(int8_t dtype) {
  return at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype));
}
