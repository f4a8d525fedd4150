// The last error message of the calling thread, read by C# right after a failed call.
#include "shim.h"

namespace {
thread_local std::string last_error;
}

void mm_record_error(const char* message) { last_error = message ? message : ""; }

MM_API const char* mm_last_error() { return last_error.c_str(); }
