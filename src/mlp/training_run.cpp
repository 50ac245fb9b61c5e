#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/neuron.hpp>
#include <massnet/mlp/record.hpp>
#include <massnet/mlp/training.hpp>
#include <massnet/mlp/training_run.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "util/files.hpp"

namespace po = boost::program_options;

namespace massnet::mlp {
namespace {

// Truth tables of samples from a file show at most this many distinct inputs.
constexpr std::size_t max_table_rows = 16;

// More iterations than this would not fit the per-iteration record in memory.
constexpr std::int64_t max_iterations = 100'000'000;

std::string quoted(const std::string& text) {
    return "'" + text + "'";
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6f", value);
    return text;
}

std::string short_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

std::string numbers(const std::vector<double>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i)
        text += (i ? " " : "") + number(values[i]);
    return text;
}

std::string whole_numbers(const std::vector<double>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        bool whole = values[i] == std::floor(values[i]) && std::abs(values[i]) < 1e15;
        text += (i ? " " : "") +
                (whole ? std::to_string(static_cast<long long>(values[i])) : number(values[i]));
    }
    return text;
}

// How the messages name the layers the samples and initial weights must fit.
std::string layers_text(const TrainingSettings& s) {
    std::string sizes = sizes_name(s.layers);
    std::replace(sizes.begin(), sizes.end(), '-', ',');
    return s.single_neuron ? "the neuron" : "--layers " + sizes;
}

void check_layers(const TrainingSettings& s) {
    if (s.layers.size() < 2)
        throw InputError("--layers: " + sizes_name(s.layers) +
                         " names one layer; give the inputs and at least one layer, like 2,3,1");
    for (std::size_t n : s.layers)
        if (n == 0)
            throw InputError("--layers: " + sizes_name(s.layers) +
                             " has an empty layer; every layer needs at least one neuron");
}

Task checked_task(const TrainingSettings& s) {
    auto task = task_named(s.task);
    if (!task)
        throw InputError("--task: " + quoted(s.task) + " is not a task (allowed: and, or, xor)");
    if (s.layers.front() != 2 || s.layers.back() != 1)
        throw InputError("--task " + s.task + " needs 2 inputs and 1 output, but " +
                         layers_text(s) + " has " + std::to_string(s.layers.front()) +
                         " inputs and " + std::to_string(s.layers.back()) + " outputs");
    return *task;
}

Samples checked_samples(const TrainingSettings& s) {
    io::Handle file = io::open_for_reading(s.samples, "--samples");
    Samples samples = read_samples(file.id(), "--samples " + s.samples);
    if (samples.width != s.layers.front() || samples.target_width != s.layers.back())
        throw InputError("--samples: " + s.samples + " has " + std::to_string(samples.width) +
                         " input and " + std::to_string(samples.target_width) +
                         " target columns, but " + layers_text(s) + " takes " +
                         std::to_string(s.layers.front()) + " inputs and gives " +
                         std::to_string(s.layers.back()) + " outputs");
    if (s.iterations_given && static_cast<std::size_t>(s.iterations) > samples.count())
        throw InputError("--iterations: " + std::to_string(s.iterations) + " is more than the " +
                         std::to_string(samples.count()) + " rows of --samples " + s.samples +
                         " (allowed: 1 to " + std::to_string(samples.count()) + ")");
    return s.iterations_given ? samples.first(static_cast<std::size_t>(s.iterations)) : samples;
}

Network checked_init(const TrainingSettings& s) {
    io::Handle file = io::open_for_reading(s.init, "--init");
    std::string what = "--init " + s.init;
    Network net = s.single_neuron ? as_network(read_neuron(file.id(), "initial", what))
                                  : read_network(file.id(), "initial", what);
    if (net.sizes() != s.layers)
        throw InputError("--init: the initial network in " + s.init + " is " +
                         sizes_name(net.sizes()) + ", but " + layers_text(s) + " is " +
                         sizes_name(s.layers));
    return net;
}

}  // namespace

void add_training_options(po::options_description& desc, TrainingSettings& s) {
    std::string task_help =
        "the gate to learn, inputs drawn uniformly from {0,1}^2 each iteration (default: " +
        s.task + ")";
    std::string iterations_help =
        "training steps, one sample each (default: " + std::to_string(s.iterations) +
        ", or every row of --samples)";
    auto set_task = [&s](const std::string& task) {
        s.task = task;
        s.task_given = true;
    };
    auto set_iterations = [&s](std::int64_t n) {
        s.iterations = n;
        s.iterations_given = true;
    };
    auto add = desc.add_options();
    add("task", po::value<std::string>()->value_name("and|or|xor")->notifier(set_task),
        task_help.c_str());
    add("samples", po::value<std::string>(&s.samples)->value_name("FILE.h5"),
        "train on samples instead of a task: datasets 'inputs' (n x inputs) and 'targets' "
        "(n or n x outputs), one row per iteration");
    add("init", po::value<std::string>(&s.init)->value_name("FILE.h5"),
        "initial weights and biases from a file (the layout --out writes under 'initial'); "
        "default: drawn from N(0,1) with --seed");
    add("seed", po::value<std::uint64_t>(&s.seed)->default_value(s.seed),
        "seed of the initial weights and of the drawn inputs");
    add("iterations", po::value<std::int64_t>()->value_name("N")->notifier(set_iterations),
        iterations_help.c_str());
    add("rate", po::value<double>(&s.rate)->default_value(s.rate), "learning rate eta, > 0");
    add("transfer", po::value<std::string>(&s.transfer)->default_value(s.transfer),
        "transfer function: logistic 1/(1+exp(-a h)) or gauss exp(-(a h)^2)");
    add("slope", po::value<double>(&s.slope)->default_value(s.slope),
        "slope a of the transfer function, > 0");
    add("out", po::value<std::string>(&s.out.path)->value_name("FILE.h5"),
        "write the errors per iteration, the initial and trained weights and the samples used "
        "(default: write nothing)");
    add("force", po::bool_switch(&s.out.force), "replace an existing --out file");
}

void check_rate_and_iterations(double rate, std::int64_t iterations) {
    if (iterations <= 0 || iterations > max_iterations)
        throw InputError("--iterations: " + std::to_string(iterations) + " is not allowed (1 to " +
                         std::to_string(max_iterations) + ")");
    if (!(rate > 0.0) || !std::isfinite(rate))
        throw InputError("--rate: " + short_number(rate) +
                         " is not allowed (a finite learning rate > 0)");
}

Transfer checked_transfer(const std::string& name, double slope) {
    auto kind = transfer_named(name);
    if (!kind)
        throw InputError("--transfer: " + quoted(name) +
                         " is not a transfer function (allowed: logistic, gauss)");
    if (!(slope > 0.0) || !std::isfinite(slope))
        throw InputError("--slope: " + short_number(slope) +
                         " is not allowed (a finite slope > 0)");
    return Transfer{*kind, slope};
}

TrainingRun prepare_training(const TrainingSettings& s) {
    // Everything the user gave is checked before anything is drawn, trained or written.
    check_layers(s);
    check_rate_and_iterations(s.rate, s.iterations);
    TrainingRun run;
    run.transfer = checked_transfer(s.transfer, s.slope);
    run.rate = s.rate;
    if (!s.samples.empty() && s.task_given)
        throw InputError("--task " + s.task + " and --samples " + s.samples +
                         ": give one of them, not both");
    if (s.samples.empty()) run.task = checked_task(s);
    if (!s.samples.empty()) run.samples = checked_samples(s);
    if (!s.init.empty()) run.initial = checked_init(s);
    if (!s.out.path.empty()) util::check_output_path(s.out.path, s.out.force, "--out");

    // Then what is random: the weights first, then the inputs.
    Rng rng = stream_rng(s.seed);
    if (s.init.empty()) run.initial = random_network(s.layers, rng);
    if (run.task)
        run.samples = draw_samples(*run.task, static_cast<std::size_t>(s.iterations), rng);
    return run;
}

TrainingResult run_training(const TrainingSettings& s, const std::string& command_line) {
    TrainingResult result{prepare_training(s), {}, {}};
    result.trained = result.run.initial;
    result.errors = train(result.trained, result.run.transfer, result.run.rate, result.run.samples);
    save_record(s.out, s.single_neuron ? "neuron" : "mlp", command_line, [&](hid_t file) {
        write_training(file, s, result.run, result.trained, result.errors);
    });
    return result;
}

std::vector<std::string> training_report(const TrainingSettings& s, const TrainingResult& result) {
    const TrainingRun& run = result.run;
    std::string data = run.task ? "task " + name_of(*run.task) : "samples from " + s.samples;
    std::string model = s.single_neuron ? "one neuron" : "network " + sizes_name(s.layers);
    double last_error = result.errors.empty() ? 0.0 : result.errors.back();
    std::vector<std::string> lines{
        "Trained " + model + " on " + data + ": " + std::to_string(result.errors.size()) +
            " iterations, eta = " + short_number(run.rate) + ", " + name_of(run.transfer.kind) +
            " transfer, slope " + short_number(run.transfer.slope) + ", last error " +
            number(last_error),
        ""};
    Samples patterns =
        run.task ? gate_patterns(*run.task) : distinct_patterns(run.samples, max_table_rows);
    std::vector<std::vector<std::string>> table{{"input", "target", "output", "error"}};
    for (const auto& row : truth_table(result.trained, run.transfer, patterns))
        table.push_back({whole_numbers(row.input), whole_numbers(row.target), numbers(row.output),
                         number(row.error)});
    for (auto& line : aligned_table(table))
        lines.push_back(std::move(line));
    return lines;
}

}  // namespace massnet::mlp
