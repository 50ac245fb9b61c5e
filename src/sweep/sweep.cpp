#include <massnet/config/config.hpp>
#include <massnet/error.hpp>
#include <massnet/sweep/sweep.hpp>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "util/files.hpp"

namespace fs = std::filesystem;

namespace massnet::sweep {
namespace {

// Run files are numbered with four digits.
constexpr std::int64_t max_runs = 10000;

// Settings whose value is itself a list: their sweep values are separated by semicolons.
bool is_list_key(const std::string& key) {
    return key == "weights.amplitudes" || key == "weights.decays";
}

// Settings that name input files; relative ones are resolved against a folder.
struct PathSetting {
    const char* key;
    std::string* path;
};
std::vector<PathSetting> input_paths(Settings& s) {
    return {{"grid.file", &s.grid.file}, {"simulation.initial", &s.simulation.initial}};
}

std::string trimmed(const std::string& text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto stop = text.find(separator, start);
        parts.push_back(trimmed(text.substr(start, stop - start)));
        if (stop == std::string::npos) return parts;
        start = stop + 1;
    }
}

bool is_known_key(const std::string& key) {
    for (const auto& info : config::known_keys())
        if (info.key == key) return true;
    return false;
}

// The values of one [sweep] line, "key = v1, v2" or, for list settings, "key = l1; l2".
Axis parse_axis(const std::string& key, const std::string& text, const std::string& where) {
    if (!is_known_key(key))
        throw InputError(where + ": unknown setting '" + key +
                         "' (allowed: the settings listed by 'massnet simulate --help')");
    if (key == "output.file" || key == "checkpoint.file")
        throw InputError(where + ": " + key +
                         " cannot be swept (each run writes its own, run-NNNN.h5 and "
                         "run-NNNN.ckpt.h5, in the sweep folder)");
    const char separator = is_list_key(key) ? ';' : ',';
    if (!is_list_key(key) && text.find(';') != std::string::npos)
        throw InputError(where + ": " + key + " = " + trimmed(text) +
                         ": separate its values with commas (semicolons separate the lists of "
                         "weights.amplitudes and weights.decays)");
    if (trimmed(text).empty())
        throw InputError(where + ": " + key + ": the list of values is empty (allowed: one " +
                         "or more values separated by '" + separator + "')");
    Axis axis{key, split(text, separator)};
    for (std::size_t i = 0; i < axis.values.size(); ++i)
        if (axis.values[i].empty())
            throw InputError(where + ": " + key + ": value " + std::to_string(i + 1) + " of '" +
                             trimmed(text) + "' is empty (allowed: values separated by '" +
                             separator + "')");
    return axis;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    return fields;
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw Error("cannot write '" + path.string() + "'");
}

// The values of one run, "key = value, key = value", for messages and run file headers.
std::string describe(const std::vector<Axis>& axes, const std::vector<std::string>& values) {
    std::string text;
    for (std::size_t a = 0; a < axes.size(); ++a)
        text += (a ? ", " : "") + axes[a].key + " = " + values[a];
    return text;
}

Settings run_settings(const SweepFile& sweep, int index, const std::vector<std::string>& values) {
    std::vector<std::string> overrides{"--output.file=" + run_output(index)};
    for (std::size_t a = 0; a < sweep.axes.size(); ++a)
        overrides.push_back("--" + sweep.axes[a].key + "=" + values[a]);
    Settings settings;
    try {
        settings = config::parse(sweep.base_config, sweep.origin, overrides);
    } catch (const InputError& e) {
        throw InputError(sweep.origin + ": run " + std::to_string(index) + " (" +
                         describe(sweep.axes, values) + "): " + e.what());
    }
    for (auto [key, path] : input_paths(settings))
        if (!path->empty() && fs::path(*path).is_relative())
            *path = fs::absolute(fs::path(sweep.folder) / *path).lexically_normal().string();
    // Runs checkpoint when the sweep asks for it, each into its own file.
    if (!settings.checkpoint.file.empty()) settings.checkpoint.file = run_checkpoint(index);
    return settings;
}

// Refuses input files that are missing already, so a typo fails at expansion, not in every run.
void check_inputs(const std::vector<Run>& runs, const std::string& origin) {
    std::set<std::string> seen;
    for (const Run& run : runs) {
        Settings settings = run.settings;
        for (auto [key, path] : input_paths(settings)) {
            if (path->empty() || !seen.insert(*path).second) continue;
            std::error_code ec;
            if (!fs::is_regular_file(*path, ec))
                throw InputError(origin + ": " + key + ": file '" + *path +
                                 "' does not exist (relative paths start at the sweep file's "
                                 "folder)");
        }
    }
}

// The earlier sweep's run files, for --force; refuses to go on when outputs would be orphaned.
void clear_earlier_sweep(const fs::path& dir) {
    std::vector<fs::path> stale;
    std::vector<std::string> outputs;
    for (const auto& entry : fs::directory_iterator(dir)) {
        std::string name = entry.path().filename().string();
        bool ours = name.rfind("run-", 0) == 0 || name.rfind(".run-", 0) == 0;
        if (!ours) continue;
        if (name.ends_with(".h5") || name.ends_with(".partial"))
            outputs.push_back(name);
        else if (name.ends_with(".ini") || name.ends_with(".failed"))
            stale.push_back(entry.path());
    }
    if (!outputs.empty())
        throw InputError(dir.string() + ": holds " + std::to_string(outputs.size()) +
                         " output(s) of the earlier sweep, e.g. '" + outputs.front() +
                         "'; --force replaces run files, not results: move them away or choose "
                         "another folder");
    for (const auto& path : stale)
        fs::remove(path);
    fs::remove(dir / "manifest.csv");
}

fs::path manifest_path(const std::string& folder) {
    return fs::path(folder) / "manifest.csv";
}

int parse_index(const std::string& text, const std::string& where) {
    int value = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        throw InputError(where + ": '" + text + "' is not a run index (allowed: 0 or more)");
    return value;
}

}  // namespace

SweepFile parse_sweep(const std::string& text, const std::string& origin,
                      const std::string& folder) {
    SweepFile sweep{"", {}, origin, folder};
    std::string section;
    bool has_sweep = false;
    std::set<std::string> swept;
    std::size_t line_number = 0, start = 0;
    while (start <= text.size()) {
        auto stop = text.find('\n', start);
        std::string line = text.substr(start, stop - start);
        start = stop == std::string::npos ? text.size() + 1 : stop + 1;
        ++line_number;
        std::string bare = trimmed(line.substr(0, line.find('#')));
        if (bare.size() >= 2 && bare.front() == '[' && bare.back() == ']') {
            section = trimmed(bare.substr(1, bare.size() - 2));
            has_sweep = has_sweep || section == "sweep";
            if (section == "sweep") continue;
        }
        if (section != "sweep") {
            sweep.base_config += line + "\n";
            continue;
        }
        if (bare.empty()) continue;
        const std::string where = origin + ":" + std::to_string(line_number) + ": [sweep]";
        auto equals = bare.find('=');
        if (equals == std::string::npos)
            throw InputError(where + ": '" + bare + "' is not 'section.key = values'");
        std::string key = trimmed(bare.substr(0, equals));
        if (!swept.insert(key).second)
            throw InputError(where + ": " + key + " is swept twice (allowed: once)");
        sweep.axes.push_back(parse_axis(key, bare.substr(equals + 1), where));
    }
    if (!has_sweep)
        throw InputError(origin +
                         ": no [sweep] section (a sweep file is a config file with a "
                         "[sweep] section of values, e.g. delays.speed = 0.5, 1, 2)");
    if (sweep.axes.empty())
        throw InputError(origin +
                         ": the [sweep] section lists no settings (allowed: lines such "
                         "as delays.speed = 0.5, 1, 2)");
    return sweep;
}

SweepFile load_sweep(const std::string& path) {
    std::string folder = fs::path(path).parent_path().string();
    return parse_sweep(util::read_whole_file(path, "sweep file"), path,
                       folder.empty() ? "." : folder);
}

std::vector<Run> expand(const SweepFile& sweep) {
    std::int64_t total = 1;
    for (const Axis& axis : sweep.axes) {
        total *= static_cast<std::int64_t>(axis.values.size());
        if (total > max_runs)
            throw InputError(sweep.origin + ": the sweep has more than " +
                             std::to_string(max_runs) +
                             " runs (allowed: at most that many; runs are numbered with 4 "
                             "digits)");
    }
    std::vector<Run> runs;
    for (int index = 0; index < total; ++index) {
        // The digits of `index` in the mixed radix of the axis sizes; the last axis varies fastest.
        std::vector<std::string> values(sweep.axes.size());
        int rest = index;
        for (std::size_t a = sweep.axes.size(); a-- > 0;) {
            const auto& choices = sweep.axes[a].values;
            values[a] = choices[static_cast<std::size_t>(rest) % choices.size()];
            rest /= static_cast<int>(choices.size());
        }
        runs.push_back({index, values, run_settings(sweep, index, values)});
    }
    check_inputs(runs, sweep.origin);
    return runs;
}

std::string run_name(int index) {
    char name[32];
    std::snprintf(name, sizeof name, "run-%04d", index);
    return name;
}

std::string run_config(int index) {
    return run_name(index) + ".ini";
}
std::string run_output(int index) {
    return run_name(index) + ".h5";
}
std::string run_marker(int index) {
    return run_name(index) + ".failed";
}
std::string run_checkpoint(int index) {
    return run_name(index) + ".ckpt.h5";
}
std::string run_heartbeat(int index) {
    return "." + run_name(index) + ".alive";
}

std::string manifest_csv(const SweepFile& sweep, const std::vector<Run>& runs) {
    std::string text = "index";
    for (const Axis& axis : sweep.axes)
        text += "," + csv_field(axis.key);
    text += ",output\n";
    for (const Run& run : runs) {
        text += std::to_string(run.index);
        for (const auto& value : run.values)
            text += "," + csv_field(value);
        text += "," + csv_field(run.settings.output.file) + "\n";
    }
    return text;
}

void write_sweep(const std::string& folder, const SweepFile& sweep, const std::vector<Run>& runs,
                 bool force) {
    const fs::path dir(folder);
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw InputError("--out: '" + folder + "' exists and is not a folder");
    // Only the sweep folder itself is created: a missing parent is more likely a typo.
    const fs::path named = dir.has_filename() ? dir : dir.parent_path();
    const fs::path parent = named.has_parent_path() ? named.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec))
        throw InputError("--out: the directory '" + parent.string() + "' of '" + folder +
                         "' does not exist");
    if (fs::exists(manifest_path(folder), ec)) {
        if (!force)
            throw InputError("--out: '" + folder +
                             "' holds a sweep already (manifest.csv); pass --force to replace "
                             "it, or choose another folder");
        clear_earlier_sweep(dir);
    }
    fs::create_directories(dir, ec);
    if (ec) throw InputError("--out: cannot create '" + folder + "' (" + ec.message() + ")");
    for (const Run& run : runs)
        write_text(dir / run_config(run.index),
                   "# run " + std::to_string(run.index) + " of the sweep " + sweep.origin + ": " +
                       describe(sweep.axes, run.values) + "\n" +
                       "# relative paths are relative to this folder\n" +
                       config::to_ini(run.settings));
    // The manifest last, under a temporary name: its presence means the sweep is complete.
    const std::string manifest = manifest_path(folder).string();
    write_text(util::temporary_name(manifest), manifest_csv(sweep, runs));
    util::commit_file(util::temporary_name(manifest), manifest);
}

std::vector<std::vector<std::string>> read_manifest(const std::string& folder) {
    const std::string path = manifest_path(folder).string();
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw InputError("'" + folder +
                         "' holds no sweep (no manifest.csv); expand one there first with "
                         "'massnet sweep expand SWEEP.ini --out " +
                         folder + "'");
    std::string text = util::read_whole_file(path, "sweep manifest");
    std::vector<std::vector<std::string>> rows;
    for (const std::string& line : split(text, '\n'))
        if (!line.empty()) rows.push_back(csv_fields(line));
    if (rows.empty() || rows[0].size() < 2 || rows[0].front() != "index" ||
        rows[0].back() != "output")
        throw InputError(path + ": not a sweep manifest (allowed: a header 'index,...,output')");
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].size() != rows[0].size())
            throw InputError(path + ": row " + std::to_string(r) + " has " +
                             std::to_string(rows[r].size()) + " fields, the header " +
                             std::to_string(rows[0].size()));
        if (parse_index(rows[r][0], path + ": row " + std::to_string(r)) != static_cast<int>(r) - 1)
            throw InputError(path + ": row " + std::to_string(r) + " has index " + rows[r][0] +
                             " (allowed: the rows numbered 0, 1, 2, ... in order)");
    }
    return rows;
}

int run_count(const std::string& folder) {
    return static_cast<int>(read_manifest(folder).size()) - 1;
}

int check_index(const std::string& folder, int index) {
    const int count = run_count(folder);
    if (index < 0 || index >= count)
        throw InputError("run index " + std::to_string(index) + " is out of range (allowed: 0 to " +
                         std::to_string(count - 1) + ", the " + std::to_string(count) +
                         " runs in '" + folder + "')");
    return count;
}

Settings load_run(const std::string& folder, int index) {
    check_index(folder, index);
    const std::string path = (fs::path(folder) / run_config(index)).string();
    Settings settings = config::parse(util::read_whole_file(path, "run config"), path, {});
    // Absolute, so that a checkpoint's copy of the settings works from any folder.
    auto paths = input_paths(settings);
    paths.push_back({"output.file", &settings.output.file});
    paths.push_back({"checkpoint.file", &settings.checkpoint.file});
    for (auto [key, path] : paths)
        if (!path->empty() && fs::path(*path).is_relative())
            *path = fs::absolute(fs::path(folder) / *path).lexically_normal().string();
    return settings;
}

void mark_failed(const std::string& folder, int index, const std::string& message) {
    write_text(fs::path(folder) / run_marker(index), message + "\n");
}

void clear_failed(const std::string& folder, int index) {
    std::error_code ec;
    fs::remove(fs::path(folder) / run_marker(index), ec);
}

std::vector<RunStatus> status(const std::string& folder) {
    auto rows = read_manifest(folder);
    std::vector<RunStatus> runs;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        RunStatus run;
        run.index = static_cast<int>(r) - 1;
        run.values.assign(rows[r].begin() + 1, rows[r].end() - 1);
        const fs::path output = fs::path(folder) / rows[r].back();
        const fs::path partial = util::temporary_name(output.string());
        const fs::path marker = fs::path(folder) / run_marker(run.index);
        std::error_code ec;
        const bool failed = fs::exists(marker, ec);
        if (fs::exists(output, ec)) {
            run.state = RunState::complete;
            run.detail = output.filename().string();
        } else if (fs::exists(partial, ec) && (!failed || fs::last_write_time(partial, ec) >=
                                                              fs::last_write_time(marker, ec))) {
            run.state = RunState::running;
            run.detail = partial.filename().string();
            std::error_code no_beat;
            const auto beat =
                fs::last_write_time(fs::path(folder) / run_heartbeat(run.index), no_beat);
            const auto age = std::chrono::duration_cast<std::chrono::seconds>(
                fs::file_time_type::clock::now() - beat);
            if (no_beat || age > heartbeat_stale) {
                run.state = RunState::stopped;
                // A run stopped by a signal keeps its partial output beside its checkpoint.
                if (fs::exists(fs::path(folder) / run_checkpoint(run.index), ec))
                    run.detail = "at its checkpoint " + run_checkpoint(run.index) +
                                 "; run it again to go on";
                else if (no_beat)
                    run.detail = "no sign of life (killed?); run it again";
                else
                    run.detail = "no sign of life for " + std::to_string(age.count() / 60) +
                                 " min (killed?); run it again";
            }
        } else if (failed) {
            run.state = RunState::failed;
            run.detail = trimmed(util::read_whole_file(marker.string(), "failure marker"));
        }
        runs.push_back(run);
    }
    return runs;
}

const char* state_name(RunState state) {
    switch (state) {
        case RunState::complete:
            return "complete";
        case RunState::running:
            return "running";
        case RunState::stopped:
            return "stopped";
        case RunState::failed:
            return "failed";
        case RunState::missing:
            break;
    }
    return "missing";
}

}  // namespace massnet::sweep
