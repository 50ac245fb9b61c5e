#pragma once
// Command-line parsing shared by the subcommands that read model settings.
#include <massnet/config/settings.hpp>

#include <boost/program_options.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace massnet::cli {

namespace po = boost::program_options;

struct ParsedArgs {
    po::variables_map options;           ///< the subcommand's own options
    std::string config_file;             ///< the positional config file, if any
    std::vector<std::string> overrides;  ///< --section.key=value tokens
};

/// Splits the tokens into the subcommand's own options, an optional positional config file and
/// model-setting overrides; unknown options are InputErrors.
ParsedArgs parse_arguments(const std::vector<std::string>& args, const po::options_description& own,
                           bool takes_config);

/// A command's --help: `about` (usage and what it does), a blank line, then its options.
std::string help_text(const std::string& about, const po::options_description& options);

/// The config keys as help text, grouped by section.
std::string settings_help();

/// "8G", "512M", "100000" -> bytes; `option` names the option in errors.
std::int64_t parse_bytes(const std::string& option, const std::string& text);
/// 185300000 -> "185.3 MB".
std::string format_bytes(std::int64_t bytes);
/// 15444900 -> "15,444,900".
std::string format_count(std::int64_t count);
/// A number with `digits` decimals.
std::string fixed(double value, int digits);

}  // namespace massnet::cli
