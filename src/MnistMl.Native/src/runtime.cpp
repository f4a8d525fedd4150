// Process-wide engine settings: seeding, threads, grad mode, version.
#include "shim.h"
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/api/include/torch/version.h>

MM_API int32_t mm_manual_seed(uint64_t seed) { MM_RETURN_STATUS(at::manual_seed(seed)); }

MM_API int32_t mm_set_num_threads(int32_t threads) { MM_RETURN_STATUS(at::set_num_threads(threads)); }

MM_API int32_t mm_get_num_threads() { return at::get_num_threads(); }

MM_API int32_t mm_set_grad_enabled(int32_t enabled) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}

MM_API int32_t mm_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }

MM_API const char* mm_torch_version() { return TORCH_VERSION; }
