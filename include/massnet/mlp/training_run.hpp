#pragma once
// A training run of the teaching commands (neuron, mlp train): their command-line options, read
// into plain settings; the checks that turn the settings into a run or refuse them; the run.
#include <massnet/mlp/network.hpp>
#include <massnet/mlp/samples.hpp>
#include <massnet/mlp/transfer.hpp>

#include <boost/program_options.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace massnet::mlp {

/// An output file and whether it may replace an existing one.
struct OutputSettings {
    std::string path;  ///< empty: write nothing
    bool force = false;
};

struct TrainingSettings {
    bool single_neuron = false;                ///< neuron file layout, sizes 2-1
    std::vector<std::size_t> layers{2, 2, 1};  ///< n_0 .. n_L
    std::string task = "xor";                  ///< the gate when no samples are given
    bool task_given = false;
    std::string samples;  ///< file with `inputs` and `targets`; empty: draw from the task
    std::string init;     ///< file with the initial weights; empty: draw them from the seed
    std::uint64_t seed = 1;
    std::int64_t iterations = 10000;
    bool iterations_given = false;  ///< false: as many as the samples have rows
    double rate = 1.0;              ///< eta
    std::string transfer = "logistic";
    double slope = 1.0;  ///< a
    OutputSettings out;
};

/// A checked training run, ready to go.
struct TrainingRun {
    Network initial;
    Samples samples;  ///< one row per iteration
    Transfer transfer;
    double rate = 1.0;
    std::optional<Task> task;  ///< nothing when the samples came from a file
};

/// What a run ends with.
struct TrainingResult {
    TrainingRun run;
    Network trained;
    std::vector<double> errors;  ///< e = 1/2 |y - o|^2 of each iteration, before its update
};

/// Adds --task, --samples, --init, --seed, --iterations, --rate, --transfer, --slope, --out and
/// --force, reading into `s` when the options are stored and notified.
void add_training_options(boost::program_options::options_description& desc, TrainingSettings& s);

/// Checks every setting, reads the files and draws what is random. Refuses (InputError naming
/// the option) bad values, missing files, layer sizes that do not match the samples or the
/// initial weights, and an output file that may not be written.
TrainingRun prepare_training(const TrainingSettings& s);

/// Prepares and trains; writes the --out file when the settings name one. `command_line` goes
/// into the file's record.
TrainingResult run_training(const TrainingSettings& s, const std::string& command_line);

/// Lines for the console: the run in one line, then the truth table (input, target, output,
/// error) over the gate's four patterns or the distinct inputs of the samples.
std::vector<std::string> training_report(const TrainingSettings& s, const TrainingResult& result);

/// Refuses an --iterations or --rate that is not positive, and an unknown --transfer.
void check_rate_and_iterations(double rate, std::int64_t iterations);
Transfer checked_transfer(const std::string& name, double slope);

}  // namespace massnet::mlp
