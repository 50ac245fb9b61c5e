// Fuzzes the config parser: the input up to the first NUL byte is the INI text, the rest are
// command line override tokens separated by NUL bytes ("--simulation.fs=250" or "--key", "value").
#include <massnet/config/config.hpp>

#include <string>
#include <vector>

#include "fuzz_support.hpp"

namespace {

struct ConfigInput {
    std::string ini;
    std::vector<std::string> overrides;
};

ConfigInput split(std::string_view bytes) {
    ConfigInput input;
    auto end = bytes.find('\0');
    input.ini = std::string(bytes.substr(0, end));
    while (end != std::string_view::npos) {
        bytes.remove_prefix(end + 1);
        end = bytes.find('\0');
        input.overrides.emplace_back(bytes.substr(0, end));
    }
    return input;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ConfigInput input = split(fuzz::as_text(data, size));
    fuzz::expect_clean([&] {
        massnet::Settings settings = massnet::config::parse(input.ini, "fuzz", input.overrides);

        // Accepted settings are valid, and their INI form (kept in every output file) reads back
        // to the same settings.
        massnet::config::validate(settings);
        std::string ini = massnet::config::to_ini(settings);
        try {
            std::string again = massnet::config::to_ini(massnet::config::parse(ini, "to_ini", {}));
            if (again != ini) fuzz::finding("config: to_ini output reads back differently");
        } catch (const massnet::Error& e) {
            std::fprintf(stderr, "to_ini output refused: %s\n", e.what());
            fuzz::finding("config: to_ini output of accepted settings is refused");
        }
    });
    return 0;
}
