#pragma once
// Reading settings from INI files and `--section.key=value` overrides. The command line wins over
// the file; unknown keys, duplicated keys and malformed or out-of-range values are InputErrors
// that name the key.
#include <massnet/config/settings.hpp>

#include <string>
#include <vector>

namespace massnet::config {

/// Every key a config file may hold, with a one-line description, in section order.
struct KeyInfo {
    std::string key;
    std::string description;
};
const std::vector<KeyInfo>& known_keys();

/// Reads `config_file` (may be empty: defaults only) and then `overrides`, tokens such as
/// "--simulation.fs=250" or "--simulation.fs", "250"; validates the result.
Settings load(const std::string& config_file, const std::vector<std::string>& overrides);

/// Parses INI text (the content of a config file) plus overrides; `origin` names the text in
/// error messages.
Settings parse(const std::string& ini_text, const std::string& origin,
               const std::vector<std::string>& overrides);

/// Every setting as INI text that `parse` reads back to the same settings.
std::string to_ini(const Settings& settings);

/// Resolves the relative file paths (grid, initial history, output, checkpoint) against the
/// current directory, so a run can be restarted from anywhere.
void make_paths_absolute(Settings& settings);

/// Throws InputError for the first value out of its allowed range.
void validate(const Settings& settings);

/// A number as text, shortest form that reads back exactly.
std::string format_value(double value);

/// Helpers shared by other readers of user text.
double parse_number(const std::string& key, const std::string& text);
std::vector<double> parse_number_list(const std::string& key, const std::string& text);

}  // namespace massnet::config
