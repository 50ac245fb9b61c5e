#include <massnet/config/config.hpp>
#include <massnet/error.hpp>

#include <boost/program_options.hpp>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "util/files.hpp"

namespace po = boost::program_options;

namespace massnet {

std::int64_t step_count(const SimulationSettings& s) {
    return static_cast<std::int64_t>(std::llround(s.duration * s.fs));
}

namespace config {
namespace {

std::string in_quotes(const std::string& text) {
    return "'" + text + "'";
}

po::options_description describe_keys() {
    po::options_description keys;
    for (const auto& info : known_keys())
        keys.add_options()(info.key.c_str(), po::value<std::string>(), info.description.c_str());
    return keys;
}

std::int64_t parse_integer(const std::string& key, const std::string& text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw InputError(key + ": " + in_quotes(text) + " is not a whole number");
    return value;
}

bool parse_bool(const std::string& key, const std::string& text) {
    if (text == "true" || text == "yes" || text == "1") return true;
    if (text == "false" || text == "no" || text == "0") return false;
    throw InputError(key + ": " + in_quotes(text) + " is not a truth value (allowed: true, false)");
}

std::string trimmed(const std::string& text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string format_number(double value);

std::string format_list(const std::vector<double>& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + format_number(values[i]);
    return out;
}

std::string format_number(double value) {
    char text[64];
    auto result = std::to_chars(text, text + sizeof text, value);  // shortest exact form
    return std::string(text, result.ptr);
}

void require(bool ok, const std::string& key, double value, const std::string& allowed) {
    if (!ok)
        throw InputError(key + ": " + format_number(value) +
                         " is out of range (allowed: " + allowed + ")");
}

// A text value must read back from the INI form that every output keeps (to_ini), where '#' starts
// a comment and a line break ends the value.
std::string single_line(const std::string& key, const std::string& text) {
    auto bad = text.find_first_of("#\n");
    if (bad != std::string::npos)
        throw InputError(key + ": " + in_quotes(text) + " holds " +
                         (text[bad] == '#' ? "'#'" : "a line break") +
                         " (allowed: one line without '#')");
    return text;
}

// Applies every stored key to the settings; each parser names its key when it fails.
void apply_keys(const po::variables_map& vm, Settings& s) {
    auto text = [&](const char* key) -> const std::string* {
        auto it = vm.find(key);
        return it == vm.end() ? nullptr : &it->second.as<std::string>();
    };
    auto number = [&](const char* key, double& field) {
        if (auto t = text(key)) field = parse_number(key, trimmed(*t));
    };
    auto string = [&](const char* key, std::string& field) {
        if (auto t = text(key)) field = single_line(key, trimmed(*t));
    };
    string("grid.file", s.grid.file);
    string("grid.dataset", s.grid.dataset);
    number("grid.spacing", s.grid.spacing);
    if (auto t = text("weights.amplitudes"))
        s.weights.amplitudes = parse_number_list("weights.amplitudes", *t);
    if (auto t = text("weights.decays")) s.weights.decays = parse_number_list("weights.decays", *t);
    number("weights.max_distance", s.weights.max_distance);
    number("weights.min_weight", s.weights.min_weight);
    number("delays.speed", s.delays.speed);
    number("delays.synaptic", s.delays.synaptic);
    if (auto t = text("delays.rounding")) {
        std::string r = trimmed(*t);
        if (r == "nearest")
            s.delays.rounding = Rounding::nearest;
        else if (r == "floor")
            s.delays.rounding = Rounding::floor;
        else if (r == "ceil")
            s.delays.rounding = Rounding::ceil;
        else
            throw InputError("delays.rounding: " + in_quotes(r) +
                             " is not a rounding rule (allowed: nearest, floor, ceil)");
    }
    number("transfer.slope", s.transfer.slope);
    number("transfer.threshold", s.transfer.threshold);
    number("simulation.fs", s.simulation.fs);
    number("simulation.duration", s.simulation.duration);
    if (auto t = text("simulation.seed")) {
        std::int64_t seed = parse_integer("simulation.seed", trimmed(*t));
        if (seed < 0)
            throw InputError("simulation.seed: " + trimmed(*t) +
                             " is negative (allowed: 0 or more)");
        s.simulation.seed = static_cast<std::uint64_t>(seed);
    }
    string("simulation.initial", s.simulation.initial);
    if (auto t = text("simulation.precision")) {
        std::string p = trimmed(*t);
        if (p == "double")
            s.simulation.precision = Precision::float64;
        else if (p == "float")
            s.simulation.precision = Precision::float32;
        else
            throw InputError("simulation.precision: " + in_quotes(p) +
                             " is not a precision (allowed: double, float)");
    }
    string("output.file", s.output.file);
    if (auto t = text("output.every")) s.output.every = parse_integer("output.every", trimmed(*t));
    string("output.sources", s.output.sources);
    if (auto t = text("output.mean")) s.output.mean = parse_bool("output.mean", trimmed(*t));
    number("drive.constant", s.drive.constant);
    if (auto t = text("drive.center"))
        s.drive.center =
            trimmed(*t).empty() ? std::vector<double>{} : parse_number_list("drive.center", *t);
    number("drive.radius", s.drive.radius);
    number("drive.onset", s.drive.onset);
    number("drive.length", s.drive.length);
    if (auto t = text("drive.shape")) {
        std::string shape = trimmed(*t);
        if (shape == "pulse")
            s.drive.shape = DriveShape::pulse;
        else if (shape == "sine")
            s.drive.shape = DriveShape::sine;
        else
            throw InputError("drive.shape: " + in_quotes(shape) +
                             " is not a shape (allowed: pulse, sine)");
    }
    number("drive.amplitude", s.drive.amplitude);
    number("drive.frequency", s.drive.frequency);
    string("drive.file", s.drive.file);
    number("noise.sigma", s.noise.sigma);
    if (auto t = text("noise.seed")) {
        std::int64_t seed = parse_integer("noise.seed", trimmed(*t));
        if (seed < 0)
            throw InputError("noise.seed: " + trimmed(*t) + " is negative (allowed: 0 or more)");
        s.noise.seed = static_cast<std::uint64_t>(seed);
    }
    string("checkpoint.file", s.checkpoint.file);
    number("checkpoint.every", s.checkpoint.every);
}

// Boost fills its error messages by replacing placeholders such as %value% with the user's text
// and never stops when that text holds the same placeholder, so such text gets a message of ours.
std::string message_of(const po::error& e, const std::vector<std::string>& texts) {
    for (const char* placeholder : {"%canonical_option%", "%invalid_line%", "%option%",
                                    "%original_token%", "%prefix%", "%value%"})
        for (const std::string& text : texts)
            if (text.find(placeholder) != std::string::npos)
                return std::string("malformed or unknown option in text holding '") + placeholder +
                       "', which cannot be quoted back";
    return e.what();
}

}  // namespace

const std::vector<KeyInfo>& known_keys() {
    static const std::vector<KeyInfo> keys = {
        {"grid.file", "source positions: .npy (N x 3), .h5 or text; empty: the built-in grid"},
        {"grid.dataset", "dataset holding the positions in an .h5 grid file (positions)"},
        {"grid.spacing", "spacing of the built-in ellipsoid grid [m] (0.0077)"},
        {"weights.amplitudes", "kernel amplitudes a_k, comma or space separated (0.03, -0.25)"},
        {"weights.decays", "kernel decays b_k [1/m], one per amplitude (10, 50)"},
        {"weights.max_distance", "leave pairs farther apart than this unconnected [m] (inf)"},
        {"weights.min_weight", "leave pairs with |W0| below this unconnected (0)"},
        {"delays.speed", "conduction speed c [m/s] (0.5)"},
        {"delays.synaptic", "synaptic delay t0 [s] (0.002)"},
        {"delays.rounding", "delay in samples: nearest, floor or ceil, at least 1 (nearest)"},
        {"transfer.slope", "slope a of the logistic transfer function (1)"},
        {"transfer.threshold", "threshold theta of the logistic transfer function (0)"},
        {"simulation.fs", "sampling rate [Hz] (1000)"},
        {"simulation.duration", "simulated time [s] (1)"},
        {"simulation.seed", "seed of the uniform [0, 1) initial history (1)"},
        {"simulation.initial", "N x T initial history, .npy or .h5 dataset initial_history"},
        {"simulation.precision", "storage of the weights: double or float (double)"},
        {"output.file", "HDF5 output file (massnet-simulation.h5)"},
        {"output.every", "record every k-th step (1)"},
        {"output.sources", "record only these sources: a list '0, 5, 17' or 'sphere x y z r' [m]"},
        {"output.mean", "record the mean activity over all sources instead (false)"},
        {"drive.constant", "input added to every source at every step (0)"},
        {"drive.center", "centre x y z of a stimulus [m]; empty: no stimulus"},
        {"drive.radius", "the stimulus reaches the sources within this of the centre [m] (0)"},
        {"drive.onset", "start of the stimulus [s] (0)"},
        {"drive.length", "duration of the stimulus [s] (0)"},
        {"drive.shape", "pulse (one-step pulses at drive.frequency) or sine (pulse)"},
        {"drive.amplitude", "height of the pulses or amplitude of the sine (0)"},
        {"drive.frequency", "pulses per second or sine frequency [Hz]; 0: a single pulse (0)"},
        {"drive.file",
         ".h5 drive: dataset drive (steps x N), or sources (K) and drive (steps x K)"},
        {"noise.sigma", "standard deviation of Gaussian white noise added to h (0)"},
        {"noise.seed", "seed of the noise, which depends only on it, the source and the step (1)"},
        {"checkpoint.file",
         "HDF5 checkpoint written on SIGUSR1/SIGTERM and every checkpoint.every s"},
        {"checkpoint.every", "wall-clock seconds between checkpoints; 0: only on signals (0)"},
    };
    return keys;
}

std::string format_value(double value) {
    return format_number(value);
}

double parse_number(const std::string& key, const std::string& text) {
    double value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (begin != end && *begin == '+') ++begin;
    auto [stop, ec] = std::from_chars(begin, end, value);
    if (text.empty() || ec != std::errc() || stop != end) {
        // from_chars does not read "inf"; accept it explicitly for distances.
        if (text == "inf" || text == "infinity") return std::numeric_limits<double>::infinity();
        throw InputError(key + ": " + in_quotes(text) + " is not a number");
    }
    if (std::isnan(value)) throw InputError(key + ": " + in_quotes(text) + " is not a number");
    return value;
}

std::vector<double> parse_number_list(const std::string& key, const std::string& text) {
    std::vector<double> values;
    std::string token;
    auto flush = [&] {
        if (!token.empty()) values.push_back(parse_number(key, token));
        token.clear();
    };
    for (char c : text) {
        if (c == ',' || c == ' ' || c == '\t')
            flush();
        else
            token.push_back(c);
    }
    flush();
    if (values.empty()) throw InputError(key + ": the list is empty");
    return values;
}

Settings parse(const std::string& ini_text, const std::string& origin,
               const std::vector<std::string>& overrides) {
    po::options_description keys = describe_keys();
    po::variables_map vm;
    try {
        auto style = po::command_line_style::unix_style ^ po::command_line_style::allow_short;
        po::store(po::command_line_parser(overrides).options(keys).style(style).run(), vm);
    } catch (const po::error& e) {
        throw InputError("command line: " + message_of(e, overrides) +
                         " (the keys are listed by 'massnet simulate --help')");
    }
    try {
        std::istringstream in(ini_text);
        po::store(po::parse_config_file(in, keys, false), vm);
    } catch (const po::error& e) {
        throw InputError(origin + ": " + message_of(e, {ini_text}) +
                         " (the keys are listed by 'massnet simulate --help')");
    }
    Settings settings;
    apply_keys(vm, settings);
    validate(settings);
    return settings;
}

Settings load(const std::string& config_file, const std::vector<std::string>& overrides) {
    std::string text;
    if (!config_file.empty()) text = util::read_whole_file(config_file, "config");
    return parse(text, config_file.empty() ? "command line" : config_file, overrides);
}

void make_paths_absolute(Settings& s) {
    for (std::string* path :
         {&s.grid.file, &s.simulation.initial, &s.output.file, &s.checkpoint.file, &s.drive.file})
        if (!path->empty()) *path = std::filesystem::absolute(*path).lexically_normal().string();
}

void validate(const Settings& s) {
    require(std::isfinite(s.grid.spacing) && s.grid.spacing > 0, "grid.spacing", s.grid.spacing,
            "> 0");
    if (s.grid.dataset.empty()) throw InputError("grid.dataset: empty (allowed: a dataset name)");
    if (s.weights.amplitudes.size() != s.weights.decays.size())
        throw InputError("weights.amplitudes and weights.decays: " +
                         std::to_string(s.weights.amplitudes.size()) + " amplitudes but " +
                         std::to_string(s.weights.decays.size()) +
                         " decays (allowed: one decay per amplitude)");
    for (double a : s.weights.amplitudes)
        require(std::isfinite(a), "weights.amplitudes", a, "finite numbers");
    for (double b : s.weights.decays)
        require(std::isfinite(b) && b >= 0, "weights.decays", b, ">= 0");
    require(s.weights.max_distance > 0, "weights.max_distance", s.weights.max_distance, "> 0");
    require(std::isfinite(s.weights.min_weight) && s.weights.min_weight >= 0, "weights.min_weight",
            s.weights.min_weight, ">= 0");
    require(std::isfinite(s.delays.speed) && s.delays.speed > 0, "delays.speed", s.delays.speed,
            "> 0");
    require(std::isfinite(s.delays.synaptic) && s.delays.synaptic >= 0, "delays.synaptic",
            s.delays.synaptic, ">= 0");
    require(std::isfinite(s.transfer.slope), "transfer.slope", s.transfer.slope, "a finite number");
    require(std::isfinite(s.transfer.threshold), "transfer.threshold", s.transfer.threshold,
            "a finite number");
    require(std::isfinite(s.simulation.fs) && s.simulation.fs > 0, "simulation.fs", s.simulation.fs,
            "> 0");
    require(std::isfinite(s.simulation.duration) && s.simulation.duration > 0,
            "simulation.duration", s.simulation.duration, "> 0");
    require(step_count(s.simulation) >= 1, "simulation.duration", s.simulation.duration,
            "at least one step: duration * fs >= 0.5");
    require(s.simulation.duration * s.simulation.fs < 1e12, "simulation.duration",
            s.simulation.duration, "fewer than 1e12 steps");
    if (s.output.file.empty()) throw InputError("output.file: empty (allowed: a file name)");
    require(std::isfinite(s.checkpoint.every) && s.checkpoint.every >= 0, "checkpoint.every",
            s.checkpoint.every, ">= 0 seconds");
    if (s.checkpoint.every > 0 && s.checkpoint.file.empty())
        throw InputError("checkpoint.every: set, but checkpoint.file is empty (allowed: set both)");
    if (!s.checkpoint.file.empty() && s.checkpoint.file == s.output.file)
        throw InputError("checkpoint.file: '" + s.checkpoint.file +
                         "' is the output file (allowed: another file)");
    if (!s.drive.center.empty() && s.drive.center.size() != 3)
        throw InputError("drive.center: " + std::to_string(s.drive.center.size()) +
                         " numbers (allowed: 3, x y z in metres)");
    for (double c : s.drive.center)
        require(std::isfinite(c), "drive.center", c, "finite numbers");
    require(std::isfinite(s.drive.constant), "drive.constant", s.drive.constant, "a finite number");
    require(std::isfinite(s.drive.radius) && s.drive.radius >= 0, "drive.radius", s.drive.radius,
            ">= 0 m");
    require(std::isfinite(s.drive.onset) && s.drive.onset >= 0, "drive.onset", s.drive.onset,
            ">= 0 s");
    require(std::isfinite(s.drive.length) && s.drive.length >= 0, "drive.length", s.drive.length,
            ">= 0 s");
    require(std::isfinite(s.drive.amplitude), "drive.amplitude", s.drive.amplitude,
            "a finite number");
    require(std::isfinite(s.drive.frequency) && s.drive.frequency >= 0, "drive.frequency",
            s.drive.frequency, ">= 0 Hz");
    require(std::isfinite(s.noise.sigma) && s.noise.sigma >= 0, "noise.sigma", s.noise.sigma,
            ">= 0");
    if (s.output.every < 1)
        throw InputError("output.every: " + std::to_string(s.output.every) +
                         " is out of range (allowed: >= 1)");
}

std::string to_ini(const Settings& s) {
    std::ostringstream out;
    const char* rounding[] = {"nearest", "floor", "ceil"};
    out << "[grid]\n"
        << "file = " << s.grid.file << "\n"
        << "dataset = " << s.grid.dataset << "\n"
        << "spacing = " << format_number(s.grid.spacing) << "\n\n"
        << "[weights]\n"
        << "amplitudes = " << format_list(s.weights.amplitudes) << "\n"
        << "decays = " << format_list(s.weights.decays) << "\n"
        << "max_distance = " << format_number(s.weights.max_distance) << "\n"
        << "min_weight = " << format_number(s.weights.min_weight) << "\n\n"
        << "[delays]\n"
        << "speed = " << format_number(s.delays.speed) << "\n"
        << "synaptic = " << format_number(s.delays.synaptic) << "\n"
        << "rounding = " << rounding[static_cast<int>(s.delays.rounding)] << "\n\n"
        << "[transfer]\n"
        << "slope = " << format_number(s.transfer.slope) << "\n"
        << "threshold = " << format_number(s.transfer.threshold) << "\n\n"
        << "[simulation]\n"
        << "fs = " << format_number(s.simulation.fs) << "\n"
        << "duration = " << format_number(s.simulation.duration) << "\n"
        << "seed = " << s.simulation.seed << "\n"
        << "initial = " << s.simulation.initial << "\n"
        << "precision = " << (s.simulation.precision == Precision::float32 ? "float" : "double")
        << "\n\n"
        << "[output]\n"
        << "file = " << s.output.file << "\n"
        << "every = " << s.output.every << "\n"
        << "sources = " << s.output.sources << "\n"
        << "mean = " << (s.output.mean ? "true" : "false") << "\n\n"
        << "[drive]\n"
        << "constant = " << format_number(s.drive.constant) << "\n"
        << "center = " << (s.drive.center.empty() ? "" : format_list(s.drive.center)) << "\n"
        << "radius = " << format_number(s.drive.radius) << "\n"
        << "onset = " << format_number(s.drive.onset) << "\n"
        << "length = " << format_number(s.drive.length) << "\n"
        << "shape = " << (s.drive.shape == DriveShape::sine ? "sine" : "pulse") << "\n"
        << "amplitude = " << format_number(s.drive.amplitude) << "\n"
        << "frequency = " << format_number(s.drive.frequency) << "\n"
        << "file = " << s.drive.file << "\n\n"
        << "[noise]\n"
        << "sigma = " << format_number(s.noise.sigma) << "\n"
        << "seed = " << s.noise.seed << "\n\n"
        << "[checkpoint]\n"
        << "file = " << s.checkpoint.file << "\n"
        << "every = " << format_number(s.checkpoint.every) << "\n";
    return out.str();
}

}  // namespace config
}  // namespace massnet
