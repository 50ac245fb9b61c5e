#pragma once
// Splitting the target rows over processes, balanced by the connections each row holds.
#include <cstdint>
#include <vector>

namespace massnet {

/// Offsets (parts + 1 of them) of contiguous row blocks whose connection counts are as equal as
/// contiguous blocks allow. Block p is rows [offsets[p], offsets[p + 1]); blocks may be empty
/// when there are more parts than rows.
std::vector<std::int64_t> partition_rows(const std::vector<std::int64_t>& row_connections,
                                         int parts);

/// Equal row counts, for work whose rows cost the same (the survey itself).
std::vector<std::int64_t> equal_rows(std::int64_t rows, int parts);

}  // namespace massnet
