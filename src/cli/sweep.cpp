// massnet sweep: expand a parameter sweep into run files, run one of them (a SLURM array task),
// and report which runs are complete.
#include <massnet/error.hpp>
#include <massnet/sweep/sweep.hpp>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include "cli/options.hpp"
#include "cli/simulate.hpp"
#include "util/heartbeat.hpp"

namespace massnet::cli {
namespace {

namespace fs = std::filesystem;

const char* const sweep_usage =
    "Usage: massnet sweep expand SWEEP.ini --out DIR [--force]\n"
    "       massnet sweep run DIR [--index I] [--force] [--memory-limit M] [--progress S]\n"
    "       massnet sweep status DIR\n\n"
    "A sweep file is a config file with a [sweep] section that lists values of settings:\n\n"
    "  [sweep]\n"
    "  delays.speed = 0.5, 1, 2, 4       values separated by commas\n"
    "  weights.decays = 10 50; 20 80     list settings: lists separated by semicolons\n\n"
    "'expand' writes one config file per point of the Cartesian product (the first swept\n"
    "setting varies slowest) as DIR/run-NNNN.ini, and DIR/manifest.csv with a row\n"
    "'index,<swept settings>,output' per run. 'run' simulates one run, writing DIR/run-NNNN.h5\n"
    "(or DIR/run-NNNN.failed with the error). 'status' lists every run's state.\n"
    "'massnet sweep <command> --help' explains each command's options.";

// What a sweep command's --help says.
struct CommandHelp {
    std::string usage;       ///< "usage: massnet sweep ..."
    std::string about;       ///< what it does
    std::string positional;  ///< what its one positional argument is, for the error without it
};

// The command's arguments with its positional argument in `config_file`, or nothing when --help
// was asked for and printed.
std::optional<ParsedArgs> parse_command(const Invocation& inv, const po::options_description& own,
                                        const CommandHelp& help) {
    ParsedArgs args = parse_arguments(inv.args, own, true);
    if (args.options.count("help")) {
        inv.console.line(help_text(help.usage + "\n\n" + help.about, own));
        return std::nullopt;
    }
    if (!args.overrides.empty())
        throw InputError("'" + args.overrides.front() +
                         "': sweep commands take settings from the sweep file, not the command "
                         "line (put them in its sections, or sweep them in [sweep])");
    if (args.config_file.empty())
        throw InputError("no " + help.positional + " given (" + help.usage + ")");
    return args;
}

int expand_command(const Invocation& inv) {
    require_single_rank(inv, "massnet sweep expand");
    po::options_description own("Options");
    own.add_options()("help,h", "this help")("out", po::value<std::string>(),
                                             "the sweep folder to write (created if missing)")(
        "force",
        "replace the run files and manifest of an earlier sweep in the folder (refused "
        "while it holds outputs)");
    const CommandHelp help{
        "usage: massnet sweep expand SWEEP.ini --out DIR [--force]",
        "Writes DIR/run-NNNN.ini, every setting of each run, and DIR/manifest.csv. Every run is\n"
        "validated first; on a bad value nothing is written. Input files named relative to the\n"
        "sweep file are written as absolute paths; each run's output is DIR/run-NNNN.h5.",
        "sweep file"};
    auto args = parse_command(inv, own, help);
    if (!args) return exit_ok;
    if (!args->options.count("out")) throw InputError("--out DIR is required (" + help.usage + ")");
    const std::string file = args->config_file;
    const std::string dir = args->options["out"].as<std::string>();

    sweep::SweepFile sweep = sweep::load_sweep(file);
    std::vector<sweep::Run> runs = sweep::expand(sweep);
    sweep::write_sweep(dir, sweep, runs, args->options.count("force") > 0);

    const int last = static_cast<int>(runs.size()) - 1;
    inv.console.line("expanded " + std::to_string(runs.size()) + " runs (" + sweep::run_config(0) +
                     " to " + sweep::run_config(last) + ") into " + dir);
    inv.console.line("manifest: " + (fs::path(dir) / "manifest.csv").string());
    inv.console.line("submit:   sbatch --array=0-" + std::to_string(last) + " jobs/sweep.sbatch " +
                     dir);
    return exit_ok;
}

// --index, else the SLURM array task id.
int run_index(const ParsedArgs& args) {
    if (args.options.count("index")) {
        int index = args.options["index"].as<int>();
        if (index < 0)
            throw InputError("--index: " + std::to_string(index) +
                             " is negative (allowed: 0 or more)");
        return index;
    }
    const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
    if (!task)
        throw InputError(
            "no run given: pass --index I, or run it as a task of a SLURM job array "
            "(SLURM_ARRAY_TASK_ID)");
    std::string text(task);
    int index = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
    if (ec != std::errc() || end != text.data() + text.size() || index < 0)
        throw InputError("SLURM_ARRAY_TASK_ID: '" + text +
                         "' is not a run index (allowed: a whole number, 0 or more)");
    return index;
}

// Runs the simulation, or goes on from the run's checkpoint when a stopped attempt left one. A
// failure leaves run-NNNN.failed with the message: an error every rank shares is recorded by rank
// 0; one seen by a single rank by that rank, since the job is aborted before the others learn of
// it. A run stopped by a signal is not a failure.
int run_and_record(const std::string& dir, int index, const Invocation& inv,
                   const RunOptions& options) {
    auto record = [&](const std::string& message, bool shared) {
        if (inv.comm.size() == 1 || !shared || inv.comm.is_root())
            sweep::mark_failed(dir, index, message);
    };
    // Lets 'sweep status' tell this run, alive, from one killed without warning.
    std::optional<util::Heartbeat> heartbeat;
    if (inv.comm.is_root())
        heartbeat.emplace((fs::path(dir) / sweep::run_heartbeat(index)).string(),
                          std::chrono::milliseconds(sweep::heartbeat_interval));
    try {
        Settings settings;
        bool resume = false;
        inv.comm.together([&] {
            settings = sweep::load_run(dir, index);
            resume = !settings.checkpoint.file.empty() && fs::exists(settings.checkpoint.file);
        });
        if (resume) inv.console.line("going on from the checkpoint " + settings.checkpoint.file);
        const int code = resume ? restart_settings(settings.checkpoint.file, {}, inv, options)
                                : simulate_settings(settings, inv, options);
        if (code == exit_ok && inv.comm.is_root()) sweep::clear_failed(dir, index);
        if (code != exit_ok && code != exit_checkpointed && code != exit_interrupted)
            record("the run stopped before completing, with exit code " + std::to_string(code) +
                       " (see its log)",
                   true);
        return code;
    } catch (const Error& e) {
        record(e.what(), e.shared());
        throw;
    } catch (const std::exception& e) {
        record(e.what(), false);
        throw;
    }
}

int run_command(const Invocation& inv) {
    po::options_description own("Options");
    own.add_options()("help,h", "this help")(
        "index", po::value<int>(),
        "the run to simulate, 0 to runs - 1; default: $SLURM_ARRAY_TASK_ID")(
        "force", "run it again although its output exists (overwriting it)");
    add_run_options(own);
    auto args = parse_command(
        inv, own,
        {"usage: massnet sweep run DIR [--index I] [options]",
         "Simulates run I of the sweep in DIR (from DIR/run-NNNN.ini) into DIR/run-NNNN.h5; works\n"
         "under mpirun/srun. On failure it writes DIR/run-NNNN.failed holding the error and exits\n"
         "with the error's code; on success it removes such a marker. A complete run (its output\n"
         "exists) is refused unless --force. When the sweep file sets checkpoint.file, each run\n"
         "checkpoints to DIR/run-NNNN.ckpt.h5: SIGUSR1 or SIGTERM stops it with exit code 3, and\n"
         "the next 'sweep run' of it goes on from there. While it runs, DIR/.run-NNNN.alive is\n"
         "touched every 30 s, so that 'sweep status' can tell it from a run that was killed.",
         "sweep folder"});
    if (!args) return exit_ok;
    const std::string dir = args->config_file;
    const RunOptions options = run_options(args->options);

    int index = 0, count = 0;
    inv.comm.together([&] {
        index = run_index(*args);
        count = sweep::check_index(dir, index);
        const fs::path output = fs::path(dir) / sweep::run_output(index);
        if (!options.force && fs::exists(output))
            throw InputError("run " + std::to_string(index) + " is complete ('" + output.string() +
                             "' exists); pass --force to run it again");
    });
    inv.console.line("sweep " + dir + ": run " + std::to_string(index) + " of " +
                     std::to_string(count));
    return run_and_record(dir, index, inv, options);
}

int status_command(const Invocation& inv) {
    require_single_rank(inv, "massnet sweep status");
    po::options_description own("Options");
    own.add_options()("help,h", "this help");
    auto args = parse_command(
        inv, own,
        {"usage: massnet sweep status DIR",
         "Lists every run of the sweep in DIR with its swept values and its state:\n"
         "  complete  its output DIR/run-NNNN.h5 exists\n"
         "  running   its partial output DIR/.run-NNNN.h5.partial exists and the run's heartbeat\n"
         "            DIR/.run-NNNN.alive was touched in the last 2 minutes (every 30 s while\n"
         "            it runs, on any node)\n"
         "  stopped   the same partial output without a fresh heartbeat: killed (run it again)\n"
         "            or stopped by a signal at its checkpoint (run it again to go on)\n"
         "  failed    DIR/run-NNNN.failed holds the error, shown here\n"
         "  missing   none of these: not started yet\n"
         "then the counts. Exit code: 0 when every run is complete, 1 otherwise, 2 when DIR\n"
         "holds no sweep.",
         "sweep folder"});
    if (!args) return exit_ok;
    const std::string dir = args->config_file;

    const auto header = sweep::read_manifest(dir).front();
    const auto runs = sweep::status(dir);

    // Columns as wide as their widest entry: index, the swept values, state, detail.
    std::vector<std::string> titles{"run"};
    titles.insert(titles.end(), header.begin() + 1, header.end() - 1);
    titles.push_back("state");
    std::vector<std::vector<std::string>> table{titles};
    std::map<std::string, int> counts;
    for (const auto& run : runs) {
        std::vector<std::string> row{std::to_string(run.index)};
        row.insert(row.end(), run.values.begin(), run.values.end());
        row.push_back(sweep::state_name(run.state));
        row.push_back(run.detail);
        table.push_back(row);
        ++counts[sweep::state_name(run.state)];
    }
    std::vector<std::size_t> width(titles.size(), 0);
    for (const auto& row : table)
        for (std::size_t c = 0; c < titles.size(); ++c)
            width[c] = std::max(width[c], row[c].size());
    for (const auto& row : table) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            std::string cell = row[c];
            if (c + 1 < row.size()) cell.resize(width[c] + 2, ' ');
            line += cell;
        }
        inv.console.line(line.substr(0, line.find_last_not_of(' ') + 1));
    }
    std::string summary = std::to_string(runs.size()) + " runs:";
    using sweep::RunState;
    for (RunState state : {RunState::complete, RunState::running, RunState::stopped,
                           RunState::failed, RunState::missing})
        summary += std::string(state == RunState::complete ? " " : ", ") +
                   std::to_string(counts[sweep::state_name(state)]) + " " +
                   sweep::state_name(state);
    inv.console.line(summary);
    return counts["complete"] == static_cast<int>(runs.size()) ? exit_ok : exit_failure;
}

int sweep_command(const Invocation& inv) {
    const std::vector<std::string>& args = inv.args;
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        inv.console.line(sweep_usage);
        return args.empty() ? exit_bad_input : exit_ok;
    }
    const std::map<std::string, int (*)(const Invocation&)> commands = {
        {"expand", expand_command}, {"run", run_command}, {"status", status_command}};
    auto it = commands.find(args[0]);
    if (it == commands.end())
        throw InputError("sweep: unknown command '" + args[0] +
                         "' (allowed: expand, run, status; see 'massnet sweep --help')");
    Invocation sub{{args.begin() + 1, args.end()}, inv.command_line, inv.comm, inv.console};
    return it->second(sub);
}

const Registration registration({"sweep",
                                 "expand a parameter sweep into runs, run one, show their status",
                                 30, sweep_command});

}  // namespace
}  // namespace massnet::cli
