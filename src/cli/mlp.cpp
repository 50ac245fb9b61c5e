// massnet mlp: the multi-layer perceptron for teaching. Trains one network, studies how often
// XOR is learned, and shows a trained network as one connectivity matrix that a state
// propagates through.
#include <massnet/config/config.hpp>
#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/connectivity.hpp>
#include <massnet/mlp/record.hpp>
#include <massnet/mlp/study.hpp>
#include <massnet/mlp/training_run.hpp>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "util/files.hpp"

namespace massnet::cli {
namespace {

using Lines = std::vector<std::string>;

// The largest agreement between the output block of s(L) and the forward pass that counts as
// equal: both add the same products in the same order, so they agree to rounding.
constexpr double forward_check_tolerance = 1e-12;

constexpr const char* mlp_usage =
    "Usage: massnet mlp <train|study|connectivity|propagate> [options]\n\n"
    "  train         train one network by online backpropagation and print its truth table\n"
    "  study         does XOR always converge? many random networks, counted\n"
    "  connectivity  one matrix A and bias c over all neurons of a trained network\n"
    "  propagate     s(t + 1) = f(A s(t) - c) from s(0) = (x, 0, .., 0)\n\n"
    "'massnet mlp <command> --help' explains a command's options.";

// Parses the options; prints the help and returns false when --help was asked for.
bool parse(const Invocation& inv, po::options_description& options, const std::string& usage,
           po::variables_map& vm) {
    options.add_options()("help,h", "this help");
    vm = parse_arguments(inv.args, options, false).options;
    if (!vm.count("help")) return true;
    inv.console.line(help_text(usage, options));
    return false;
}

// 1, 0.1, 2.5e-05: as short as the value allows.
std::string short_number(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

// --out and --force; `what` says what --out writes.
void add_output_options(po::options_description_easy_init& add, mlp::OutputSettings& out,
                        const std::string& what) {
    add("out", po::value<std::string>(&out.path)->value_name("FILE.h5"),
        (what + " (default: write nothing)").c_str());
    add("force", po::bool_switch(&out.force), "replace an existing --out file");
}

void print(const Invocation& inv, const Lines& lines) {
    for (const auto& line : lines)
        inv.console.line(line);
}

// "2,3,1" -> {2, 3, 1}: whole numbers > 0, at least two of them.
std::vector<std::size_t> parse_sizes(const std::string& option, const std::string& text) {
    std::vector<std::size_t> sizes;
    for (double n : config::parse_number_list(option, text)) {
        if (n < 1 || n != std::floor(n) || n > 1e6)
            throw InputError(option + ": '" + text +
                             "' must list whole numbers of neurons from 1 to 1000000, like 2,3,1");
        sizes.push_back(static_cast<std::size_t>(n));
    }
    if (sizes.size() < 2)
        throw InputError(option + ": '" + text +
                         "' needs the inputs and at least one layer, like 2,3,1");
    return sizes;
}

// The name of each neuron: x0.. for the inputs, h<l>.<i> for hidden layer l, y0.. for the outputs.
std::vector<std::string> neuron_names(const std::vector<std::size_t>& layers) {
    std::vector<std::string> names;
    for (std::size_t l = 0; l < layers.size(); ++l)
        for (std::size_t i = 0; i < layers[l]; ++i) {
            std::string prefix = l == 0                   ? "x"
                                 : l + 1 == layers.size() ? "y"
                                                          : "h" + std::to_string(l) + ".";
            names.push_back(prefix + std::to_string(i));
        }
    return names;
}

// Rows of `values` (row-major, `width` columns), each led by `labels[r]`, under a header.
Lines labelled_table(const std::vector<std::string>& header, const std::vector<std::string>& labels,
                     const std::vector<double>& values, std::size_t width, int digits) {
    std::vector<std::vector<std::string>> rows{header};
    for (std::size_t r = 0; r < labels.size(); ++r) {
        std::vector<std::string> row{labels[r]};
        for (std::size_t c = 0; c < width; ++c)
            row.push_back(fixed(values[r * width + c], digits));
        rows.push_back(std::move(row));
    }
    return mlp::aligned_table(rows);
}

// ---- train ---------------------------------------------------------------------------------

constexpr const char* train_usage =
    "Usage: massnet mlp train [options]\n\n"
    "Trains a network, layer l: h_l = W_l x_(l-1) - b_l, x_l = f(h_l), by online\n"
    "backpropagation of e = 1/2 |y - o|^2, one sample per iteration, then prints the truth\n"
    "table: input, target o, output y and error 1/2 |y - o|^2.\n\n"
    "Example: massnet mlp train --layers 2,3,1 --task xor --seed 7 --out xor.h5";

int train_command(const Invocation& inv) {
    mlp::TrainingSettings settings;
    std::string layers = "2,2,1";
    po::options_description options("Options");
    options.add_options()("layers", po::value<std::string>(&layers)->default_value(layers),
                          "neurons per layer, the inputs first");
    mlp::add_training_options(options, settings);
    po::variables_map vm;
    if (!parse(inv, options, train_usage, vm)) return exit_ok;
    settings.layers = parse_sizes("--layers", layers);

    auto result = mlp::run_training(settings, inv.command_line);
    print(inv, mlp::training_report(settings, result));
    if (!settings.out.path.empty()) inv.console.line("\nWrote " + settings.out.path);
    return exit_ok;
}

// ---- study ---------------------------------------------------------------------------------

constexpr const char* study_usage =
    "Usage: massnet mlp study [options]\n\n"
    "Does XOR always converge? Trains --trials networks of each --layers architecture on XOR\n"
    "(inputs drawn uniformly from {0,1}^2 each iteration), each from its own N(0,1) initial\n"
    "weights. A trial has converged when, after the last iteration, every one of the four\n"
    "patterns has |y - o| below --tolerance. The four patterns are also checked every\n"
    "--check-every iterations; the first check that meets the tolerance is the trial's\n"
    "iterations to converge. Trials run in parallel (OpenMP, OMP_NUM_THREADS); trial k of\n"
    "architecture a draws from its own generator seeded with (--seed, a, k), so the results do\n"
    "not depend on the number of threads.\n\n"
    "Reports per architecture: the fraction converged with its 95% Wilson interval, the median\n"
    "iterations to converge of the converged trials, and quantiles of the final error\n"
    "max |y - o| over the four patterns.\n\n"
    "Example: massnet mlp study --layers 2,2,1 --layers 2,3,1 --trials 2000 --out study.h5";

mlp::StudySettings study_settings(const std::vector<std::string>& layers, mlp::StudySettings s) {
    for (const auto& text : layers) {
        auto sizes = parse_sizes("--layers", text);
        if (sizes.front() != 2 || sizes.back() != 1)
            throw InputError("--layers: '" + text +
                             "' cannot learn XOR, which needs 2 inputs and 1 output");
        s.architectures.push_back(sizes);
    }
    if (s.trials <= 0 || s.trials > 10'000'000)
        throw InputError("--trials: " + std::to_string(s.trials) +
                         " is not allowed (1 to 10000000)");
    mlp::check_rate_and_iterations(s.rate, s.iterations);
    if (!(s.tolerance > 0.0) || !std::isfinite(s.tolerance))
        throw InputError("--tolerance: " + short_number(s.tolerance) + " is not allowed (> 0)");
    if (s.check_every <= 0)
        throw InputError("--check-every: " + std::to_string(s.check_every) +
                         " is not allowed (1 or more iterations)");
    return s;
}

Lines study_report(const mlp::StudySettings& s, const std::vector<mlp::ArchitectureStudy>& study) {
    Lines lines{"XOR study: " + std::to_string(s.trials) + " trials x " +
                    std::to_string(s.iterations) + " iterations, eta = " + short_number(s.rate) +
                    ", tolerance " + short_number(s.tolerance) + ", seed " +
                    std::to_string(s.seed) + ", " + std::to_string(omp_get_max_threads()) +
                    " threads",
                ""};
    std::vector<std::vector<std::string>> summary{
        {"layers", "converged", "fraction", "95% interval", "median iterations"}};
    std::vector<std::vector<std::string>> errors{
        {"layers", "min", "5%", "25%", "50%", "75%", "95%", "max"}};
    for (const auto& a : study) {
        auto ci = a.interval();
        double median = a.median_iterations();
        summary.push_back({mlp::sizes_name(a.sizes),
                           std::to_string(a.converged()) + "/" + std::to_string(a.trials.size()),
                           fixed(a.converged_fraction(), 3),
                           "[" + fixed(ci.low, 3) + ", " + fixed(ci.high, 3) + "]",
                           std::isnan(median) ? "-" : fixed(median, 0)});
        std::vector<std::string> row{mlp::sizes_name(a.sizes)};
        for (double q : {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0})
            row.push_back(fixed(mlp::quantile(a.final_errors(), q), 4));
        errors.push_back(std::move(row));
    }
    for (auto& line : mlp::aligned_table(summary))
        lines.push_back(std::move(line));
    lines.push_back("");
    lines.push_back("Final error max |y - o| over the four patterns, quantiles over the trials:");
    for (auto& line : mlp::aligned_table(errors))
        lines.push_back(std::move(line));
    return lines;
}

int study_command(const Invocation& inv) {
    mlp::StudySettings s;
    std::vector<std::string> layers{"2,2,1", "2,3,1"};
    mlp::OutputSettings out;
    po::options_description options("Options");
    auto add = options.add_options();
    add("layers", po::value<std::vector<std::string>>()->composing()->value_name("SIZES"),
        "an architecture, the inputs first; repeat for more (default: 2,2,1 and 2,3,1)");
    add("trials", po::value<std::int64_t>(&s.trials)->default_value(s.trials),
        "random initialisations per architecture");
    add("iterations", po::value<std::int64_t>(&s.iterations)->default_value(s.iterations),
        "training steps per trial");
    add("rate", po::value<double>(&s.rate)->default_value(s.rate), "learning rate eta, > 0");
    add("seed", po::value<std::uint64_t>(&s.seed)->default_value(s.seed), "seed of the study");
    add("tolerance", po::value<double>(&s.tolerance)->default_value(s.tolerance),
        "converged: |y - o| below this for all four patterns at the end");
    add("check-every", po::value<std::int64_t>(&s.check_every)->default_value(s.check_every),
        "iterations between checks of the four patterns, for the iterations to converge");
    add_output_options(add, out, "write the settings, the summary and every trial's outcome");
    po::variables_map vm;
    if (!parse(inv, options, study_usage, vm)) return exit_ok;
    if (vm.count("layers")) layers = vm["layers"].as<std::vector<std::string>>();
    s = study_settings(layers, s);
    if (!out.path.empty()) util::check_output_path(out.path, out.force, "--out");

    auto study = mlp::run_study(s);
    mlp::save_record(out, "mlp-study", inv.command_line,
                     [&](hid_t file) { mlp::write_study(file, s, study); });
    print(inv, study_report(s, study));
    if (!out.path.empty()) inv.console.line("\nWrote " + out.path);
    return exit_ok;
}

// ---- connectivity --------------------------------------------------------------------------

// The transfer function a file was made with (root attributes `transfer`, `slope`); the
// logistic with slope 1 when it does not say.
mlp::Transfer file_transfer(hid_t file, const std::string& what) {
    mlp::Transfer f;
    if (io::has_attribute(file, "transfer")) {
        std::string name = io::read_string_attribute(file, "transfer");
        auto kind = mlp::transfer_named(name);
        if (!kind)
            throw InputError(what + ": attribute transfer '" + name +
                             "' is not a transfer function (allowed: logistic, gauss)");
        f.kind = *kind;
    }
    if (io::has_attribute(file, "slope")) f.slope = io::read_double_attribute(file, "slope");
    return f;
}

void write_transfer(hid_t file, const mlp::Transfer& f) {
    io::write_attribute(file, "transfer", mlp::name_of(f.kind));
    io::write_attribute(file, "slope", f.slope);
}

Lines connectivity_report(const mlp::Connectivity& a) {
    auto names = neuron_names(a.layers);
    std::vector<std::string> header{"to \\ from"};
    header.insert(header.end(), names.begin(), names.end());
    header.push_back("| c");
    std::size_t m = a.size();
    std::vector<double> rows;  // A with c as one more column
    for (std::size_t i = 0; i < m; ++i) {
        rows.insert(rows.end(), a.matrix.begin() + i * m, a.matrix.begin() + (i + 1) * m);
        rows.push_back(a.bias[i]);
    }
    Lines lines{"Connectivity of network " + mlp::sizes_name(a.layers) + ": M = " +
                    std::to_string(m) + " neurons, inputs first; A (rows: to, columns: from), c:",
                ""};
    for (auto& line : labelled_table(header, names, rows, m + 1, 4))
        lines.push_back(std::move(line));
    return lines;
}

constexpr const char* connectivity_usage =
    "Usage: massnet mlp connectivity --network FILE.h5 [options]\n\n"
    "Numbers all neurons in one index, the inputs first, and builds the matrix A (M x M) with\n"
    "W_l in the block from layer l-1 to layer l, and the bias c with b_l in layer l's block\n"
    "(zeros for the inputs). Prints both and writes /connectivity/matrix and\n"
    "/connectivity/bias (attributes inputs, outputs, layers) to --out.\n\n"
    "Example: massnet mlp connectivity --network xor.h5 --out xor-connectivity.h5";

int connectivity_command(const Invocation& inv) {
    std::string network, group = "trained";
    mlp::OutputSettings out;
    po::options_description options("Options");
    auto add = options.add_options();
    add("network", po::value<std::string>(&network)->value_name("FILE.h5"),
        "a network file, as 'massnet mlp train --out' writes (required)");
    add("group", po::value<std::string>(&group)->default_value(group),
        "the group of the network in the file: trained or initial");
    add_output_options(add, out, "write A and c");
    po::variables_map vm;
    if (!parse(inv, options, connectivity_usage, vm)) return exit_ok;
    if (network.empty()) throw InputError("--network: missing; name the network file to read");
    io::Handle file = io::open_for_reading(network, "--network");
    auto net = mlp::read_network(file.id(), group, "--network " + network + " --group " + group);
    auto f = file_transfer(file.id(), "--network " + network);
    if (!out.path.empty()) util::check_output_path(out.path, out.force, "--out");

    auto a = mlp::connectivity_of(net);
    mlp::save_record(out, "connectivity", inv.command_line, [&](hid_t file) {
        mlp::write_connectivity(file, a);
        write_transfer(file, f);
    });
    print(inv, connectivity_report(a));
    if (!out.path.empty()) inv.console.line("\nWrote " + out.path);
    return exit_ok;
}

// ---- propagate -----------------------------------------------------------------------------

// What propagate works on: a connectivity, and the network it came from when it was given one.
struct Source {
    mlp::Connectivity a;
    std::optional<mlp::Network> network;
    mlp::Transfer f;
};

Source read_source(const std::string& path, const std::string& group, bool group_given) {
    io::Handle file = io::open_for_reading(path, "--connectivity");
    std::string what = "--connectivity " + path;
    Source source;
    source.f = file_transfer(file.id(), what);
    if (!group_given && mlp::has_connectivity(file.id())) {
        source.a = mlp::read_connectivity(file.id(), what);
        return source;
    }
    if (!io::has_object(file.id(), group + "/0"))
        throw InputError(what +
                         ": neither a /connectivity group with a 'layers' attribute nor a "
                         "network in group '" +
                         group + "' (see --group)");
    source.network = mlp::read_network(file.id(), group, what + " --group " + group);
    source.a = mlp::connectivity_of(*source.network);
    return source;
}

// max |output block of s(L) - forward output|
double forward_difference(const Source& source, const std::vector<double>& input) {
    std::size_t depth = source.a.layers.size() - 1;
    auto states = mlp::propagate(source.a, source.f, input, depth);
    auto y = mlp::output(*source.network, source.f, input);
    std::size_t m = source.a.size();
    double worst = 0.0;
    for (std::size_t k = 0; k < y.size(); ++k)
        worst = std::max(worst, std::abs(states[depth * m + m - y.size() + k] - y[k]));
    return worst;
}

Lines propagation_report(const mlp::Connectivity& a, const std::vector<double>& states,
                         std::size_t steps) {
    auto names = neuron_names(a.layers);
    std::vector<std::string> header{"t"};
    header.insert(header.end(), names.begin(), names.end());
    std::vector<std::string> labels;
    for (std::size_t t = 0; t <= steps; ++t)
        labels.push_back(std::to_string(t));
    Lines lines{"s(t + 1) = f(A s(t) - c), M = " + std::to_string(a.size()) + " neurons, " +
                    std::to_string(steps) + " steps:",
                ""};
    for (auto& line : labelled_table(header, labels, states, a.size(), 6))
        lines.push_back(std::move(line));
    std::string output;
    for (std::size_t k = a.size() - a.outputs(); k < a.size(); ++k)
        output += " " + fixed(states[steps * a.size() + k], 12);
    lines.push_back("");
    lines.push_back("Output after " + std::to_string(steps) + " steps:" + output);
    return lines;
}

constexpr const char* propagate_usage =
    "Usage: massnet mlp propagate --connectivity FILE.h5 --input X [options]\n\n"
    "Propagates s(t + 1) = f(A s(t) - c) from s(0) = (x, 0, .., 0) and prints every state;\n"
    "the inputs are not held. After L steps (L layers) the output block is the network's output.\n"
    "FILE.h5 holds A and c ('massnet mlp connectivity --out') or a network ('massnet mlp train\n"
    "--out'; then A and c are built from --group, and the output block of s(L) is checked\n"
    "against the network's forward pass to 1e-12). f is the file's transfer attribute\n"
    "(default logistic, slope 1).\n\n"
    "Example: massnet mlp propagate --connectivity xor.h5 --input 1,0 --out states.h5";

int propagate_command(const Invocation& inv) {
    std::string path, input_text, group = "trained";
    std::int64_t steps = 0;
    mlp::OutputSettings out;
    po::options_description options("Options");
    auto add = options.add_options();
    add("connectivity", po::value<std::string>(&path)->value_name("FILE.h5"),
        "A and c, or a network to build them from (required)");
    add("group", po::value<std::string>(&group)->default_value(group),
        "the network's group when FILE.h5 holds a network");
    add("input", po::value<std::string>(&input_text)->value_name("X"),
        "the input x, one value per input neuron, like 1,0 (required)");
    add("steps", po::value<std::int64_t>(&steps)->value_name("K"),
        "steps to take (default: the number of layers L)");
    add_output_options(add, out, "write /states, K + 1 rows");
    po::variables_map vm;
    if (!parse(inv, options, propagate_usage, vm)) return exit_ok;
    if (path.empty()) throw InputError("--connectivity: missing; name the file to read");
    if (input_text.empty())
        throw InputError("--input: missing; give one value per input, like 1,0");
    Source source = read_source(path, group, !vm["group"].defaulted());
    auto input = config::parse_number_list("--input", input_text);
    if (input.size() != source.a.inputs())
        throw InputError("--input: " + std::to_string(input.size()) + " values given ('" +
                         input_text + "'), but the network has " +
                         std::to_string(source.a.inputs()) + " inputs");
    std::int64_t depth = static_cast<std::int64_t>(source.a.layers.size()) - 1;
    if (!vm.count("steps")) steps = depth;
    if (steps < 1 || steps > 1'000'000)
        throw InputError("--steps: " + std::to_string(steps) + " is not allowed (1 to 1000000)");
    if (!out.path.empty()) util::check_output_path(out.path, out.force, "--out");

    auto k = static_cast<std::size_t>(steps);
    auto states = mlp::propagate(source.a, source.f, input, k);
    std::optional<double> difference;
    if (source.network) difference = forward_difference(source, input);
    mlp::save_record(out, "propagation", inv.command_line, [&](hid_t file) {
        io::write_doubles(file, "states", states, {k + 1, source.a.size()});
        io::write_attribute(file, "input", input);
        io::write_attribute(file, "steps", steps);
        write_transfer(file, source.f);
        if (difference) io::write_attribute(file, "forward_difference", *difference);
    });
    print(inv, propagation_report(source.a, states, k));
    bool agrees = !difference || *difference <= forward_check_tolerance;
    if (difference)
        inv.console.line("Check: the output block of s(" + std::to_string(depth) + ") " +
                         (agrees ? "equals" : "DIFFERS FROM") +
                         " the network's forward output (max |difference| = " +
                         short_number(*difference) + ", allowed 1e-12)");
    if (!out.path.empty()) inv.console.line("\nWrote " + out.path);
    return agrees ? exit_ok : exit_failure;
}

// ---- mlp -----------------------------------------------------------------------------------

int mlp_command(const Invocation& inv) {
    require_single_rank(inv, "massnet mlp");
    const std::string sub = inv.args.empty() ? "" : inv.args.front();
    if (sub.empty() || sub == "-h" || sub == "--help" || sub == "help") {
        inv.console.line(mlp_usage);
        return sub.empty() ? exit_bad_input : exit_ok;
    }
    Invocation rest{
        {inv.args.begin() + 1, inv.args.end()}, inv.command_line, inv.comm, inv.console};
    if (sub == "train") return train_command(rest);
    if (sub == "study") return study_command(rest);
    if (sub == "connectivity") return connectivity_command(rest);
    if (sub == "propagate") return propagate_command(rest);
    throw InputError("massnet mlp: unknown command '" + sub +
                     "' (allowed: train, study, connectivity, propagate)");
}

const Registration registration({"mlp", "train, study and propagate multi-layer perceptrons", 60,
                                 mlp_command});

}  // namespace
}  // namespace massnet::cli
