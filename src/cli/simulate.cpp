// massnet simulate: the delay-coupled neural mass network, from a config file and overrides.
#include "cli/simulate.hpp"

#include <massnet/config/config.hpp>
#include <massnet/error.hpp>
#include <massnet/network/delay_slices.hpp>
#include <massnet/network/neighbours.hpp>
#include <massnet/network/network_plan.hpp>
#include <massnet/report/report.hpp>
#include <massnet/simulation/checkpoint.hpp>
#include <massnet/simulation/external_input.hpp>
#include <massnet/simulation/initial_history.hpp>
#include <massnet/simulation/simulation.hpp>

#include <omp.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>

#include "build_info.hpp"
#include "cli/options.hpp"
#include "cli/signals.hpp"
#include "util/files.hpp"
#include "util/system.hpp"

namespace massnet::cli {
namespace {

// The output under its temporary name, removed unless the run completes.
class PartialOutput {
  public:
    /// Leaves the partial file for a restart to go on with.
    void keep() { committed_ = true; }
    PartialOutput(std::string final_path, const Comm& comm)
        : final_(std::move(final_path)), temporary_(util::temporary_name(final_)), comm_(comm) {}
    ~PartialOutput() {
        if (!committed_ && comm_.is_root()) {
            std::error_code ec;
            std::filesystem::remove(temporary_, ec);
        }
    }
    const std::string& path() const { return temporary_; }
    void commit() {
        comm_.together([&] {
            if (comm_.is_root()) util::commit_file(temporary_, final_);
        });
        committed_ = true;
    }

  private:
    std::string final_, temporary_;
    const Comm& comm_;
    bool committed_ = false;
};

// For the failure tests: MASSNET_FAIL_ON_RANK=R makes rank R fail while building its slices
// (the ranks end together), R:run makes it fail alone in the middle of the run (the job is
// aborted). Unset in normal use.
bool injected_failure(const Comm& comm, const std::string& phase) {
    const char* spec = std::getenv("MASSNET_FAIL_ON_RANK");
    if (spec == nullptr) return false;
    std::string text(spec);
    std::string rank = text.substr(0, text.find(':'));
    std::string when =
        text.find(':') == std::string::npos ? "build" : text.substr(text.find(':') + 1);
    return rank == std::to_string(comm.rank()) && when == phase;
}

// Min, mean and max of a per-rank value, as "mean (min .. max)".
std::string spread(const Comm& comm, double value, int digits) {
    double lo = comm.min(value), hi = comm.max(value), mean = comm.sum(value) / comm.size();
    if (comm.size() == 1) return fixed(value, digits) + " s";
    return fixed(mean, digits) + " s (min " + fixed(lo, digits) + ", max " + fixed(hi, digits) +
           ")";
}

// Records the activity, prints progress lines on rank 0, and at each block boundary lets the
// ranks agree whether to checkpoint or stop there.
class RunObserver : public StepObserver {
  public:
    RunObserver(ActivityReport& report, const Console& console, const Comm& comm, std::int64_t rows,
                std::int64_t steps, double fs, double interval, double checkpoint_every, bool fail)
        : report_(report),
          console_(console),
          comm_(comm),
          rows_(rows),
          steps_(steps),
          fs_(fs),
          interval_(interval),
          checkpoint_every_(checkpoint_every),
          start_(omp_get_wtime()),
          last_(start_),
          last_checkpoint_(start_),
          fail_(fail) {}

    /// Records the mean over all sources too, read from the complete history in source order
    /// (the same sum on every rank count).
    void record_mean_of(const RingBuffer& history) { history_ = &history; }

    void on_activity(std::int64_t first, std::int64_t count, const double* own) override {
        if (fail_ && first >= steps_ / 2) throw Error("injected failure during the run");
        if (first_step_ < 0) first_step_ = first;
        for (std::int64_t s = 0; s < count; ++s)
            report_.record(first + s, own + s * rows_, history_ ? mean_at(first + s) : 0.0);
        double now = omp_get_wtime();
        if (interval_ > 0 && now - last_ >= interval_ && first + count < steps_) {
            double rate = static_cast<double>(first + count - first_step_) / (now - start_);
            last_ = now;
            console_.line(
                "step " + format_count(first + count) + " of " + format_count(steps_) +
                " (t = " + fixed(static_cast<double>(first + count) / fs_, 3) + " s): " +
                (rate < 10 ? fixed(rate, 2) : format_count(static_cast<std::int64_t>(rate))) +
                " steps/s, " + fixed(static_cast<double>(steps_ - first - count) / rate, 1) +
                " s left");
        }
    }

    bool stop_at(std::int64_t) override {
        int vote = signalled_request();
        const double now = omp_get_wtime();
        if (checkpoint_every_ > 0 && comm_.is_root() && now - last_checkpoint_ >= checkpoint_every_)
            vote = std::max<int>(vote, take_checkpoint);
        request_ = static_cast<StopRequest>(comm_.max(std::int64_t{vote}));
        if (request_ == take_checkpoint) last_checkpoint_ = now;
        return request_ != keep_going;
    }

    StopRequest request() const { return request_; }

  private:
    double mean_at(std::int64_t step) const {
        double sum = 0;
        for (std::int64_t j = 0; j < history_->sources(); ++j)
            sum += history_->at(j, step);
        return sum / static_cast<double>(history_->sources());
    }

    ActivityReport& report_;
    const Console& console_;
    const Comm& comm_;
    std::int64_t rows_, steps_;
    std::int64_t first_step_ = -1;  // the first step this run computed (a restart starts later)
    double fs_, interval_, checkpoint_every_, start_, last_, last_checkpoint_;
    bool fail_;
    StopRequest request_ = keep_going;
    const RingBuffer* history_ = nullptr;
};

std::vector<Attribute> run_attributes(const Settings& s, const NetworkPlan& plan,
                                      const Invocation& inv, const std::string& start_time) {
    const char* rounding[] = {"nearest", "floor", "ceil"};
    return {
        {"massnet_kind", std::string("simulation")},
        {"massnet_version", std::string(build::version)},
        {"git_commit", std::string(build::git_commit)},
        {"command_line", inv.command_line},
        {"config", config::to_ini(s)},
        {"start_time", start_time},
        {"ranks", std::int64_t{inv.comm.size()}},
        {"threads", std::int64_t{omp_get_max_threads()}},
        {"sources", plan.sources()},
        {"connections", plan.connections()},
        {"T", plan.max_delay},
        {"d_min", plan.min_delay},
        {"fs", s.simulation.fs},
        {"duration", s.simulation.duration},
        {"steps", step_count(s.simulation)},
        {"every", s.output.every},
        {"seed", static_cast<std::int64_t>(s.simulation.seed)},
        {"initial", s.simulation.initial},
        {"precision",
         std::string(s.simulation.precision == Precision::float32 ? "float" : "double")},
        {"grid_file", s.grid.file},
        {"grid_spacing", s.grid.spacing},
        {"amplitudes", s.weights.amplitudes},
        {"decays", s.weights.decays},
        {"max_distance", s.weights.max_distance},
        {"min_weight", s.weights.min_weight},
        {"speed", s.delays.speed},
        {"synaptic_delay", s.delays.synaptic},
        {"rounding", std::string(rounding[static_cast<int>(s.delays.rounding)])},
        {"slope", s.transfer.slope},
        {"threshold", s.transfer.threshold},
        {"output_sources", s.output.sources},
        {"output_mean", std::int64_t{s.output.mean}},
        {"drive_constant", s.drive.constant},
        {"drive_center", s.drive.center},
        {"drive_radius", s.drive.radius},
        {"drive_onset", s.drive.onset},
        {"drive_length", s.drive.length},
        {"drive_shape", std::string(s.drive.shape == DriveShape::sine ? "sine" : "pulse")},
        {"drive_amplitude", s.drive.amplitude},
        {"drive_frequency", s.drive.frequency},
        {"drive_file", s.drive.file},
        {"noise_sigma", s.noise.sigma},
        {"noise_seed", static_cast<std::int64_t>(s.noise.seed)},
    };
}

void check_memory(const NetworkPlan& plan, const Settings& settings, const Comm& comm,
                  std::int64_t limit) {
    if (limit == 0) limit = util::available_memory() / comm.ranks_on_node();
    const std::int64_t worst = comm.max(estimate_memory(plan, comm.rank(), settings).total());
    comm.together([&] {
        if (limit <= 0 || worst <= limit) return;
        MemoryEstimate m = estimate_memory(plan, 0, settings);
        int fit = ranks_that_fit(plan, settings, limit);
        throw InputError(
            "memory: each rank would need up to " + format_bytes(worst) + " (rank 0: slices " +
            format_bytes(m.slices) + ", history " + format_bytes(m.history) + ", output buffer " +
            format_bytes(m.output) + ") but --memory-limit allows " + format_bytes(limit) +
            " per rank; " +
            (fit > 0 ? "it would fit on " + std::to_string(fit) + " ranks"
                     : "no rank count fits: the history alone is too large; raise the limit"));
    });
}

// Where a run starts: fresh, or from a checkpoint.
struct Resume {
    Checkpoint checkpoint;
    bool active = false;
};

template <class Scalar>
int simulate_with(const Settings& s, const NetworkPlan& plan, const Invocation& inv,
                  const RunOptions& options, const Resume& resume, double setup_start,
                  const std::string& start_time) {
    const Comm& comm = inv.comm;
    const Console& console = inv.console;
    const int rank = comm.rank();
    const std::int64_t first = plan.row_offsets[rank], last = plan.row_offsets[rank + 1];
    const std::int64_t first_step = resume.active ? resume.checkpoint.step : 0;

    DelaySlices<Scalar> slices;
    RingBuffer history(plan.sources(), plan.max_delay);
    comm.together([&] {
        if (injected_failure(comm, "build")) throw Error("injected failure while building");
        Neighbours neighbours(plan.positions, s.weights.max_distance);
        slices = build_slices<Scalar>(plan.positions, plan.coupling, neighbours, first, last,
                                      plan.min_delay, plan.max_delay);
        history.assign_history(resume.active
                                   ? resume.checkpoint.history
                                   : initial_history(s.simulation, plan.sources(), plan.max_delay),
                               first_step);
    });

    // The output: created fresh, or the checkpointed run's partial file reopened.
    const std::int64_t steps = step_count(s.simulation);
    PartialOutput output(s.output.file, comm);
    ReportLayout layout;
    ExternalInput input;
    comm.together([&] {
        layout = report_layout(s.output, steps, s.simulation.fs,
                               select_sources(s.output.sources, plan.positions), first, last,
                               comm.is_root());
        if (layout.sources < 0) layout.sources = plan.sources();
        input = ExternalInput(s.drive, s.noise, plan.positions, s.simulation.fs, steps);
    });
    // A fresh output must fit on its disk: HDF5 cannot close a file cleanly once it is full.
    if (!resume.active)
        comm.together([&] {
            if (comm.is_root())
                util::check_free_space(s.output.file, 8 * layout.recorded() * layout.sources,
                                       "output.file");
        });
    const std::uint64_t run_id =
        resume.active
            ? resume.checkpoint.run_id
            : static_cast<std::uint64_t>(comm.broadcast(static_cast<std::int64_t>(
                  std::random_device{}() ^ (std::uint64_t{std::random_device{}()} << 32))));
    std::unique_ptr<ActivityReport> report;
    comm.together([&] {
        if (resume.active)
            report = std::make_unique<ActivityReport>(output.path(), comm, layout, run_id,
                                                      resume.checkpoint.written_rows);
        else
            report = std::make_unique<ActivityReport>(output.path(), comm, layout, plan.positions,
                                                      run_id);
    });

    ActivityExchange exchange(comm, plan.row_offsets);
    Simulation<Scalar> simulation(slices, s.transfer, std::move(history), exchange, first_step);
    simulation.set_input(input);
    const MemoryEstimate memory = estimate_memory(plan, rank, s);
    const std::int64_t slice_total = comm.sum(slices.bytes());
    console.line(
        "grid: " + format_count(plan.sources()) + " sources, " + format_count(plan.connections()) +
        " connections, T = " + std::to_string(plan.max_delay) +
        ", d_min = " + std::to_string(plan.min_delay) + ", slices " + format_bytes(slice_total) +
        (s.simulation.precision == Precision::float32 ? " (float weights)" : ""));
    console.line("run: " + format_count(steps) + " steps at " + fixed(s.simulation.fs, 0) +
                 " Hz (" + fixed(s.simulation.duration, 3) + " s), " + std::to_string(comm.size()) +
                 " ranks x " + std::to_string(simulation.threads()) + " threads, memory per rank " +
                 format_bytes(comm.min(memory.total())) + " to " +
                 format_bytes(comm.max(memory.total())) + "; " +
                 std::to_string(simulation.plan().block) + " steps per pass over the slices, " +
                 "exchange every " + std::to_string(simulation.plan().exchange));
    if (input.active())
        console.line("input: drive constant " + config::format_value(s.drive.constant) +
                     ", stimulus on " + format_count(input.stimulated()) + " sources" +
                     (s.drive.file.empty() ? "" : ", drive file " + s.drive.file) +
                     ", noise sigma " + config::format_value(s.noise.sigma));
    if (resume.active)
        console.line("restart: from step " + format_count(first_step) + " of the checkpoint");
    const double setup_seconds = omp_get_wtime() - setup_start;

    auto attributes = run_attributes(s, plan, inv, start_time);
    RunObserver observer(*report, console, comm, last - first, steps, s.simulation.fs,
                         options.progress_every, s.checkpoint.every, injected_failure(comm, "run"));
    if (s.output.mean) observer.record_mean_of(simulation.history());
    const double run_start = omp_get_wtime();
    while (true) {
        comm.or_abort([&] { simulation.run(steps, observer); });
        if (simulation.step() >= steps) break;
        const StopRequest request = observer.request();
        const std::string at =
            "step " + format_count(simulation.step()) + " of " + format_count(steps);
        if (request == interrupt) {
            console.line("interrupted at " + at + "; the partial output is removed");
            return exit_interrupted;
        }
        if (s.checkpoint.file.empty()) {
            if (request != checkpoint_and_stop) continue;
            console.line("stopped by a signal at " + at +
                         "; no checkpoint.file is set, so nothing is kept");
            return exit_failure;
        }
        // The ranks agreed on this step boundary: flush the output, then save the state.
        comm.together([&] {
            report->checkpoint();
            Checkpoint c{
                config::to_ini(s), run_id, simulation.step(), report->written(), plan.sources(),
                plan.max_delay,    {}};
            if (comm.is_root()) {
                c.history = simulation.history().history(simulation.step());
                write_checkpoint(s.checkpoint.file, c, attributes);
            }
        });
        console.line("checkpoint at " + at + " written to " + s.checkpoint.file);
        if (request == checkpoint_and_stop) {
            output.keep();
            console.line("stopped by a signal; go on with: massnet simulate --restart " +
                         s.checkpoint.file + " (exit code " + std::to_string(exit_checkpointed) +
                         ")");
            return exit_checkpointed;
        }
    }
    const double run_seconds = omp_get_wtime() - run_start;

    attributes.push_back({"wall_setup_s", comm.max(setup_seconds)});
    attributes.push_back({"wall_simulate_s", comm.max(run_seconds)});
    attributes.push_back({"slice_bytes", slice_total});
    attributes.push_back({"block_steps", simulation.plan().block});
    attributes.push_back({"exchange_steps", simulation.plan().exchange});
    attributes.push_back({"restarted_at_step", first_step});
    comm.together([&] { report->finish(attributes); });
    output.commit();
    if (!s.checkpoint.file.empty() && comm.is_root()) {
        std::error_code ec;
        std::filesystem::remove(s.checkpoint.file, ec);  // the run is complete: nothing to resume
    }

    const auto& t = simulation.timings();
    console.line("done: setup " + spread(comm, setup_seconds, 2) + ", compute " +
                 spread(comm, t.compute, 2) + ", exchange " + spread(comm, t.exchange, 2) +
                 ", output " + spread(comm, t.observe, 2) + "; " +
                 fixed(1e3 * comm.max(run_seconds) / static_cast<double>(steps - first_step), 3) +
                 " ms per step; peak memory per rank " +
                 format_bytes(comm.min(util::peak_memory())) + " to " +
                 format_bytes(comm.max(util::peak_memory())));
    console.line("wrote " + s.output.file + " (" + format_count(layout.recorded()) + " steps x " +
                 (s.output.mean ? std::string("the mean over all sources")
                                : format_count(layout.sources) + " sources") +
                 ")");
    return exit_ok;
}

// The top of `massnet simulate --help`.
constexpr const char* simulate_about =
    "Usage: massnet simulate [CONFIG.ini] [--section.key=value ...] [options]\n"
    "       massnet simulate --restart CHECKPOINT.h5\n"
    "       mpirun -n P massnet simulate ...\n\n"
    "Simulates the delay-coupled neural mass network\n"
    "  h_i(n) = sum_j W0_ij y_j(n - d_ij),  y_i(n) = f(h_i(n))\n"
    "on a source grid and writes every source's activity to an HDF5 file\n"
    "(/report/sources/data, recorded steps x sources).\n\n"
    "With checkpoint.file set, SIGUSR1 or SIGTERM writes a checkpoint at the next step\n"
    "boundary and exits with code 3; --restart goes on and writes the same output as an\n"
    "uninterrupted run, with any number of ranks. SIGINT stops and removes the partial\n"
    "output (exit code 130).";

int simulate_command(const Invocation& inv) {
    po::options_description own("Options");
    own.add_options()("help,h", "this help")("force", "overwrite an existing output file")(
        "restart", po::value<std::string>(),
        "go on from this checkpoint (its config is used; a config given too must match it)");
    add_run_options(own);
    ParsedArgs args = parse_arguments(inv.args, own, true);
    if (args.options.count("help")) {
        inv.console.line(help_text(simulate_about, own) + "\n" + settings_help());
        return exit_ok;
    }
    const RunOptions options = run_options(args.options);
    if (args.options.count("restart"))
        return restart_settings(args.options["restart"].as<std::string>(), args, inv, options);
    Settings settings;
    inv.comm.together([&] {
        settings = config::load(args.config_file, args.overrides);
        config::make_paths_absolute(settings);
    });
    return simulate_settings(settings, inv, options);
}

const Registration registration({"simulate", "simulate the network and write the activity", 10,
                                 simulate_command});

}  // namespace

namespace {

int run_settings(const Settings& settings, const Invocation& inv, const RunOptions& options,
                 const Resume& resume) {
    // From here a stop signal is answered at the first step boundary, even one sent during setup.
    install_stop_handlers();
    const double setup_start = omp_get_wtime();
    const std::string start_time = util::iso_time_now();
    const Comm& comm = inv.comm;
    comm.together([&] {
        util::check_output_path(settings.output.file, options.force, "output.file");
        if (!settings.checkpoint.file.empty())
            util::check_output_path(settings.checkpoint.file, true, "checkpoint.file");
    });
    NetworkPlan plan = plan_network(settings, comm);
    check_memory(plan, settings, comm, options.memory_limit);
    if (settings.simulation.precision == Precision::float32)
        return simulate_with<float>(settings, plan, inv, options, resume, setup_start, start_time);
    return simulate_with<double>(settings, plan, inv, options, resume, setup_start, start_time);
}

}  // namespace

void add_run_options(po::options_description& options) {
    options.add_options()("memory-limit", po::value<std::string>(),
                          "refuse to start when a rank would need more than this (e.g. 8G); "
                          "default: the memory available on the node divided by the ranks on it")(
        "progress", po::value<double>()->default_value(10.0),
        "seconds between progress lines (0: none)");
}

RunOptions run_options(const po::variables_map& options) {
    RunOptions run;
    run.force = options.count("force") > 0;
    run.progress_every = options["progress"].as<double>();
    if (options.count("memory-limit"))
        run.memory_limit = parse_bytes("--memory-limit", options["memory-limit"].as<std::string>());
    return run;
}

int simulate_settings(const Settings& settings, const Invocation& inv, const RunOptions& options) {
    return run_settings(settings, inv, options, Resume{});
}

int restart_settings(const std::string& checkpoint_path, const ParsedArgs& args,
                     const Invocation& inv, const RunOptions& options) {
    Resume resume;
    resume.active = true;
    Settings settings;
    inv.comm.together([&] {
        resume.checkpoint = read_checkpoint(checkpoint_path);
        settings = config::parse(resume.checkpoint.config, "the checkpoint's config", {});
        if (!args.config_file.empty() || !args.overrides.empty()) {
            Settings given = config::load(args.config_file, args.overrides);
            config::make_paths_absolute(given);
            if (config::to_ini(given) != resume.checkpoint.config)
                throw InputError("--restart '" + checkpoint_path +
                                 "': the checkpoint was written by another config than the one "
                                 "given; restart without a config, or with the same one");
        }
        if (resume.checkpoint.step > step_count(settings.simulation))
            throw InputError("--restart '" + checkpoint_path + "': its step lies beyond the run");
    });
    return run_settings(settings, inv, options, resume);
}

}  // namespace massnet::cli
