#pragma once
// Facts about the machine and the process.
#include <cstdint>
#include <string>

namespace massnet::util {

/// MemAvailable of /proc/meminfo [bytes], or 0 when unknown.
std::int64_t available_memory();
/// Peak resident memory of this process so far [bytes].
std::int64_t peak_memory();
/// The current time as ISO 8601 in UTC, e.g. 2026-12-03T15:54:33Z.
std::string iso_time_now();

}  // namespace massnet::util
