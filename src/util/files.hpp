#pragma once
// Small file helpers shared by the readers and writers.
#include <cstdint>
#include <string>

namespace massnet::util {

/// The whole content of a file; missing, unreadable or a directory is an InputError naming `what`.
std::string read_whole_file(const std::string& path, const std::string& what);

/// Refuses an output path whose directory is missing, that is a directory, or that exists when
/// `force` is false. `option` names the option in the message.
void check_output_path(const std::string& path, bool force, const std::string& option);

/// Refuses an output of about `bytes` when the disk that would hold `path` has less free space,
/// so that a run does not end half-written on a full disk. `option` names the option.
void check_free_space(const std::string& path, std::int64_t bytes, const std::string& option);

/// A temporary name beside `path` (same directory, so the final rename is atomic).
std::string temporary_name(const std::string& path);

/// Renames `from` to `to`, replacing it; throws Error on failure.
void commit_file(const std::string& from, const std::string& to);

}  // namespace massnet::util
