#include "cli/options.hpp"

#include <massnet/config/config.hpp>
#include <massnet/error.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace massnet::cli {
namespace {

bool is_setting_key(const std::string& key) {
    for (const auto& info : config::known_keys())
        if (info.key == key) return true;
    return false;
}

}  // namespace

ParsedArgs parse_arguments(const std::vector<std::string>& args, const po::options_description& own,
                           bool takes_config) {
    ParsedArgs parsed;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& token = args[i];
        if (token.rfind("--", 0) == 0) {
            std::string key = token.substr(2, token.find('=') - 2);
            if (is_setting_key(key)) {
                parsed.overrides.push_back(token);
                if (token.find('=') == std::string::npos && i + 1 < args.size())
                    parsed.overrides.push_back(args[++i]);
                continue;
            }
            if (key.find('.') != std::string::npos)
                throw InputError("unknown setting '" + key +
                                 "' (the settings are listed by 'massnet simulate --help')");
        }
        rest.push_back(token);
    }
    po::options_description all;
    all.add(own);
    po::positional_options_description positional;
    if (takes_config) {
        all.add_options()("config", po::value<std::string>(), "config file");
        positional.add("config", 1);
    }
    try {
        auto style = po::command_line_style::unix_style;
        po::store(
            po::command_line_parser(rest).options(all).positional(positional).style(style).run(),
            parsed.options);
        po::notify(parsed.options);
    } catch (const po::error& e) {
        throw InputError(std::string(e.what()) + " (see --help)");
    }
    if (takes_config && parsed.options.count("config"))
        parsed.config_file = parsed.options["config"].as<std::string>();
    return parsed;
}

std::string help_text(const std::string& about, const po::options_description& options) {
    std::ostringstream text;
    text << about << "\n\n" << options;
    return text.str();
}

std::string settings_help() {
    std::string text =
        "Settings (in a config file's [section] as key = value, or on the command\n"
        "line as --section.key=value, which wins over the file):\n";
    std::string section;
    for (const auto& info : config::known_keys()) {
        std::string this_section = info.key.substr(0, info.key.find('.'));
        if (this_section != section) {
            text += "\n  [" + this_section + "]\n";
            section = this_section;
        }
        std::string key = "    " + info.key;
        key.resize(std::max<std::size_t>(key.size() + 2, 28), ' ');
        text += key + info.description + "\n";
    }
    return text;
}

std::int64_t parse_bytes(const std::string& option, const std::string& text) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    std::string unit(end, text.data() + text.size());
    static const std::map<std::string, double> units = {
        {"", 1},         {"B", 1},           {"K", 1e3},           {"KB", 1e3}, {"M", 1e6},
        {"MB", 1e6},     {"G", 1e9},         {"GB", 1e9},          {"T", 1e12}, {"TB", 1e12},
        {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
    auto it = units.find(unit);
    if (ec != std::errc() || it == units.end() || !(value > 0) || !std::isfinite(value))
        throw InputError(option + ": '" + text +
                         "' is not a memory size (allowed: a positive number with an optional "
                         "unit K, M, G, T, e.g. 8G)");
    return static_cast<std::int64_t>(value * it->second);
}

std::string format_bytes(std::int64_t bytes) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    int u = 0;
    while (value >= 1000 && u < 4) {
        value /= 1000;
        ++u;
    }
    return fixed(value, u == 0 ? 0 : 1) + " " + units[u];
}

std::string format_count(std::int64_t count) {
    std::string digits = std::to_string(count < 0 ? -count : count);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return (count < 0 ? "-" : "") + out;
}

std::string fixed(double value, int digits) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
    return buffer;
}

}  // namespace massnet::cli
