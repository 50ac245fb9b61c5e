#pragma once
// Parameter sweeps: a config file with a [sweep] section that lists values for some settings
// expands to one run per point of their Cartesian product. A sweep folder holds the runs' config
// files run-NNNN.ini, a manifest.csv naming each run's values, and, as the runs finish, their
// outputs run-NNNN.h5 or failure markers run-NNNN.failed.
//
// Paths in a run file that are relative are relative to the sweep folder: the output is written
// as "run-NNNN.h5" (and, when the sweep file sets checkpoint.file, the checkpoint as
// "run-NNNN.ckpt.h5"), and input files named relative to the sweep file are written as absolute
// paths, so a run works from any working directory.
#include <massnet/config/settings.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace massnet::sweep {

/// One swept setting and its values, as written in the sweep file.
struct Axis {
    std::string key;                  ///< a setting key, "section.key"
    std::vector<std::string> values;  ///< the text of each value, in file order
};

/// A sweep file split into the ordinary config and the swept settings.
struct SweepFile {
    std::string base_config;  ///< the INI text without the [sweep] section
    std::vector<Axis> axes;   ///< in file order; the first varies slowest
    std::string origin;       ///< the file's name, for messages
    std::string folder;       ///< relative input paths are relative to this folder
};

/// One point of the sweep.
struct Run {
    int index = 0;
    std::vector<std::string> values;  ///< one per axis
    Settings settings;                ///< validated; output.file is run_output(index)
};

/// Reads the sweep file's text; an unknown key, an empty list or a missing [sweep] section is an
/// InputError naming it. `folder` is where relative input paths start.
SweepFile parse_sweep(const std::string& text, const std::string& origin,
                      const std::string& folder);
/// Reads and parses a sweep file.
SweepFile load_sweep(const std::string& path);

/// The runs of the Cartesian product, the first axis varying slowest, each validated; a bad
/// value is an InputError naming the key and the value.
std::vector<Run> expand(const SweepFile& sweep);

/// "run-0007" for 7; the names of a run's files in the sweep folder.
std::string run_name(int index);
std::string run_config(int index);  ///< run-NNNN.ini
std::string run_output(int index);  ///< run-NNNN.h5
std::string run_marker(int index);  ///< run-NNNN.failed
/// run-NNNN.ckpt.h5: a run's checkpoint.file when the sweep file sets one.
std::string run_checkpoint(int index);
/// .run-NNNN.alive: touched by a running run every heartbeat_interval, removed when it ends.
std::string run_heartbeat(int index);

inline constexpr std::chrono::seconds heartbeat_interval{30};
/// A run whose heartbeat is older than this is taken for dead: four beats missed.
inline constexpr std::chrono::seconds heartbeat_stale{120};

/// The manifest: a header `index,<each swept key>,output` and one row per run.
std::string manifest_csv(const SweepFile& sweep, const std::vector<Run>& runs);

/// Writes the run files and the manifest into `folder`, creating it. An existing manifest there
/// is refused unless `force`; with `force`, the earlier run files are replaced, but outputs of
/// earlier runs are never deleted: their presence is refused.
void write_sweep(const std::string& folder, const SweepFile& sweep, const std::vector<Run>& runs,
                 bool force);

/// The rows of a sweep folder's manifest, each as its fields; the header first.
std::vector<std::vector<std::string>> read_manifest(const std::string& folder);

/// How many runs the folder's manifest lists.
int run_count(const std::string& folder);

/// Refuses an index outside 0 .. runs - 1 of the folder's manifest; returns the number of runs.
int check_index(const std::string& folder, int index);

/// The settings of run `index` of the sweep in `folder`, with relative paths made absolute
/// from the folder; an index out of range or a missing manifest is an InputError.
Settings load_run(const std::string& folder, int index);

/// Records a failed run: run-NNNN.failed holds the message.
void mark_failed(const std::string& folder, int index, const std::string& message);
/// Removes the failure marker of a run, if any.
void clear_failed(const std::string& folder, int index);

enum class RunState { complete, running, stopped, failed, missing };

/// What the files in the sweep folder say about one run.
struct RunStatus {
    int index = 0;
    std::vector<std::string> values;  ///< as in the manifest
    RunState state = RunState::missing;
    std::string detail;  ///< the failure message, or the file that shows the state
};

/// Complete: the output exists. Running: the hidden partial output exists, is newer than any
/// failure marker, and the run's heartbeat is fresh. Stopped: the same partial output but no
/// fresh heartbeat (killed, or stopped at its checkpoint). Failed: a failure marker. Missing:
/// none of these.
std::vector<RunStatus> status(const std::string& folder);

/// "complete", "running", "stopped", "failed", "missing".
const char* state_name(RunState state);

}  // namespace massnet::sweep
