// Inputs the fuzz targets (tests/fuzz) found to crash, hang or upset a sanitizer, each kept here
// with the clean InputError it must now end in.
#include <catch2/catch.hpp>

#include <massnet/config/config.hpp>
#include <massnet/error.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>
#include <vector>

using Catch::Matchers::Contains;

namespace {

struct Outcome {
    enum Kind { accepted, input_error, other_error } kind = other_error;
    std::string message;
};

// Parses on a worker thread and waits at most 10 s: the defect behind some of these inputs was an
// endless loop, and a thread cannot be stopped, so a parse still running ends the test program.
Outcome parse_within_limit(const std::string& ini, const std::vector<std::string>& overrides) {
    auto promise = std::make_shared<std::promise<Outcome>>();
    std::future<Outcome> result = promise->get_future();
    std::thread([promise, ini, overrides] {
        Outcome outcome;
        try {
            massnet::config::parse(ini, "fuzzed.ini", overrides);
            outcome.kind = Outcome::accepted;
        } catch (const massnet::InputError& e) {
            outcome = {Outcome::input_error, e.what()};
        } catch (const std::exception& e) {
            outcome = {Outcome::other_error, e.what()};
        }
        promise->set_value(outcome);
    }).detach();
    if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        std::fprintf(stderr, "config::parse still running after 10 s: it hangs\n");
        std::abort();
    }
    return result.get();
}

}  // namespace

TEST_CASE("config parser refuses an unknown override holding %original_token% without hanging",
          "[config][fuzz]") {
    std::vector<std::string> overrides{"--osimulatipn]\nfs =%original_token%000\n-"};

    Outcome outcome = parse_within_limit("", overrides);

    CHECK(outcome.kind == Outcome::input_error);
    CHECK_THAT(outcome.message, Contains("command line") && Contains("'%original_token%'"));
}

TEST_CASE("config parser refuses a config line holding %invalid_line% without hanging",
          "[config][fuzz]") {
    std::string ini = "[simulation]\nfs = 250\n%invalid_line%\n";

    Outcome outcome = parse_within_limit(ini, {});

    CHECK(outcome.kind == Outcome::input_error);
    CHECK_THAT(outcome.message, Contains("fuzzed.ini") && Contains("'%invalid_line%'"));
}

TEST_CASE("config parser still accepts placeholder-like text inside a valid value",
          "[config][fuzz]") {
    std::string ini = "[output]\nfile = run-%value%.h5\n";

    Outcome outcome = parse_within_limit(ini, {"--grid.file=%original_token%.txt"});

    CHECK(outcome.kind == Outcome::accepted);
}

TEST_CASE("config parser refuses a file name with '#', which its recorded INI form would cut",
          "[config][fuzz]") {
    std::vector<std::string> overrides{"--output.file=run#2.h5"};

    Outcome outcome = parse_within_limit("", overrides);

    CHECK(outcome.kind == Outcome::input_error);
    CHECK_THAT(outcome.message, Contains("output.file") && Contains("'run#2.h5'"));
}

TEST_CASE("config parser refuses a file name with a line break, which its INI form would split",
          "[config][fuzz]") {
    std::vector<std::string> overrides{"--grid.file", "grid\ndataset = other"};

    Outcome outcome = parse_within_limit("", overrides);

    CHECK(outcome.kind == Outcome::input_error);
    CHECK_THAT(outcome.message, Contains("grid.file") && Contains("line break"));
}

TEST_CASE("config text of accepted settings reads back to the same text", "[config][fuzz]") {
    massnet::Settings settings = massnet::config::parse(
        "[output]\nfile = run-%value%.h5 # a comment\n", "fuzzed.ini",
        {"--simulation.initial= history 1.npy ", "--weights.max_distance=inf"});
    std::string ini = massnet::config::to_ini(settings);

    std::string again = massnet::config::to_ini(massnet::config::parse(ini, "again", {}));

    CHECK(settings.output.file == "run-%value%.h5");
    CHECK(settings.simulation.initial == "history 1.npy");
    CHECK(again == ini);
}
