#pragma once
// A run's state at a step boundary, enough to continue it bit for bit: the whole ring buffer of
// history, the step, the rows of output already written, and the config it was started with.
#include <massnet/report/report.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace massnet {

struct Checkpoint {
    std::string config;             ///< the run's settings as INI text (config::to_ini)
    std::uint64_t run_id = 0;       ///< ties the checkpoint to its partial output file
    std::int64_t step = 0;          ///< the next step to compute
    std::int64_t written_rows = 0;  ///< recorded rows already in the partial output
    std::int64_t sources = 0;       ///< N
    std::int64_t max_delay = 0;     ///< T
    std::vector<double> history;    ///< N x T, column k = step - 1 - k
};

/// Writes the checkpoint under a temporary name and renames it over `path` when complete, so
/// the previous checkpoint survives a failure while writing. `provenance` goes into attributes.
void write_checkpoint(const std::string& path, const Checkpoint& checkpoint,
                      const std::vector<Attribute>& provenance);

/// Reads and checks a checkpoint; a missing, truncated or malformed file is an InputError
/// naming it.
Checkpoint read_checkpoint(const std::string& path);

}  // namespace massnet
