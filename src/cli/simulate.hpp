#pragma once
// Running one simulation from settings: shared by `massnet simulate` and `massnet sweep run`.
#include <massnet/config/settings.hpp>

#include <cstdint>

#include "cli/command.hpp"
#include "cli/options.hpp"

namespace massnet::cli {

struct RunOptions {
    bool force = false;             ///< overwrite an existing output
    std::int64_t memory_limit = 0;  ///< bytes per rank; 0: available memory / ranks on the node
    double progress_every = 10.0;   ///< seconds between progress lines
};

/// Declares --memory-limit and --progress, the options of every command that runs a simulation.
void add_run_options(po::options_description& options);
/// The run options from parsed --force, --memory-limit and --progress.
RunOptions run_options(const po::variables_map& options);

/// Simulates `settings` and writes the output file; returns the exit code.
int simulate_settings(const Settings& settings, const Invocation& inv, const RunOptions& options);

/// Goes on from a checkpoint, with its config (a config in `args` must match it).
int restart_settings(const std::string& checkpoint_path, const ParsedArgs& args,
                     const Invocation& inv, const RunOptions& options);

}  // namespace massnet::cli
