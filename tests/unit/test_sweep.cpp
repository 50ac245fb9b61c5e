// Parameter sweeps as a library: parsing the [sweep] section, the order of the Cartesian product,
// the manifest, the run files and the state of each run.
#include <catch2/catch.hpp>

#include <massnet/config/config.hpp>
#include <massnet/error.hpp>
#include <massnet/sweep/sweep.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "support.hpp"
#include "util/files.hpp"
#include "util/heartbeat.hpp"

using namespace massnet;
namespace fs = std::filesystem;

namespace {

sweep::SweepFile parse(const std::string& text, const std::string& folder = ".") {
    return sweep::parse_sweep(text, "test.ini", folder);
}

std::vector<std::string> values_of(const sweep::Run& run) {
    return run.values;
}

}  // namespace

TEST_CASE("sweep over two keys varies the first key slowest", "[sweep]") {
    auto file = parse(
        "[simulation]\nduration = 0.5\n\n[sweep]\ndelays.speed = 0.5, 1, 2\n"
        "transfer.slope = 3, 4\n");

    auto runs = sweep::expand(file);

    REQUIRE(runs.size() == 6);
    using V = std::vector<std::string>;
    CHECK(values_of(runs[0]) == V{"0.5", "3"});
    CHECK(values_of(runs[1]) == V{"0.5", "4"});
    CHECK(values_of(runs[2]) == V{"1", "3"});
    CHECK(values_of(runs[5]) == V{"2", "4"});
    CHECK(runs[4].index == 4);
    CHECK(runs[4].settings.delays.speed == 2.0);
    CHECK(runs[4].settings.transfer.slope == 3.0);
    CHECK(runs[4].settings.simulation.duration == 0.5);
    CHECK(runs[4].settings.output.file == "run-0004.h5");
}

TEST_CASE("sweep over three keys splits a list-valued key at semicolons", "[sweep]") {
    auto file = parse(
        "[sweep]\ndelays.speed = 1, 2\nweights.decays = 10 50; 20, 80\n"
        "transfer.threshold = -1, 0, 1\n");

    auto runs = sweep::expand(file);

    REQUIRE(file.axes.size() == 3);
    CHECK(file.axes[1].values == std::vector<std::string>{"10 50", "20, 80"});
    REQUIRE(runs.size() == 12);
    CHECK(values_of(runs[0]) == std::vector<std::string>{"1", "10 50", "-1"});
    CHECK(values_of(runs[5]) == std::vector<std::string>{"1", "20, 80", "1"});
    CHECK(values_of(runs[6]) == std::vector<std::string>{"2", "10 50", "-1"});
    CHECK(runs[5].settings.weights.decays == std::vector<double>{20, 80});
    CHECK(runs[6].settings.weights.decays == std::vector<double>{10, 50});
    CHECK(runs[11].settings.delays.speed == 2.0);
    CHECK(runs[11].settings.transfer.threshold == 1.0);
}

TEST_CASE("sweep manifest has a header of the swept keys and one row per run", "[sweep]") {
    auto file = parse("[sweep]\ndelays.speed = 1, 2\nweights.decays = 10 50; 20, 80\n");
    auto runs = sweep::expand(file);

    std::string manifest = sweep::manifest_csv(file, runs);

    CHECK(manifest ==
          "index,delays.speed,weights.decays,output\n"
          "0,1,10 50,run-0000.h5\n"
          "1,1,\"20, 80\",run-0001.h5\n"
          "2,2,10 50,run-0002.h5\n"
          "3,2,\"20, 80\",run-0003.h5\n");
}

TEST_CASE("sweep run files parse back to the expanded settings", "[sweep]") {
    test::ScratchDir dir;
    auto file = parse(
        "[delays]\nrounding = ceil\n[sweep]\nweights.decays = 10 50; 20 80\n"
        "simulation.seed = 7, 8\n");
    auto runs = sweep::expand(file);

    sweep::write_sweep(dir / "sweep", file, runs, false);

    REQUIRE(sweep::run_count(dir / "sweep") == 4);
    for (const auto& run : runs) {
        Settings back = sweep::load_run(dir / "sweep", run.index);
        CHECK(back.output.file ==
              (fs::path(dir / "sweep") / sweep::run_output(run.index)).string());
        back.output.file = run.settings.output.file;
        CHECK(config::to_ini(back) == config::to_ini(run.settings));
    }
    Settings third = config::load(dir / "sweep/run-0003.ini", {});
    CHECK(third.output.file == "run-0003.h5");
    CHECK(third.weights.decays == std::vector<double>{20, 80});
    CHECK(third.simulation.seed == 8);
    CHECK(third.delays.rounding == Rounding::ceil);
}

TEST_CASE("sweep gives each run its own checkpoint file when the sweep file sets one", "[sweep]") {
    test::ScratchDir dir;
    auto with =
        parse("[checkpoint]\nfile = shared.ckpt.h5\nevery = 60\n[sweep]\ndelays.speed = 1, 2\n");
    auto without = parse("[sweep]\ndelays.speed = 1, 2\n");

    auto runs = sweep::expand(with);
    sweep::write_sweep(dir.path(), with, runs, false);

    CHECK(runs[0].settings.checkpoint.file == "run-0000.ckpt.h5");
    CHECK(runs[1].settings.checkpoint.file == "run-0001.ckpt.h5");
    CHECK(runs[1].settings.checkpoint.every == 60.0);
    CHECK(sweep::expand(without)[1].settings.checkpoint.file.empty());
    CHECK(sweep::load_run(dir.path(), 1).checkpoint.file ==
          (fs::path(dir.path()) / "run-0001.ckpt.h5").string());
}

TEST_CASE("sweep resolves a relative grid file against the sweep file's folder", "[sweep]") {
    test::ScratchDir dir;
    test::write_text(dir / "grid.txt", "0 0 0\n0.01 0 0\n");
    test::write_text(dir / "sweep.ini", "[grid]\nfile = grid.txt\n[sweep]\ndelays.speed = 1\n");

    auto runs = sweep::expand(sweep::load_sweep(dir / "sweep.ini"));

    REQUIRE(runs.size() == 1);
    CHECK(runs[0].settings.grid.file == fs::path(dir / "grid.txt").lexically_normal().string());
}

TEST_CASE("sweep refuses a sweep file with a bad [sweep] section, naming the culprit", "[sweep]") {
    struct Case {
        std::string text, culprit;
    };
    std::vector<Case> cases = {
        {"[delays]\nspeed = 1\n", "no [sweep] section"},
        {"[sweep]\n", "lists no settings"},
        {"[sweep]\ndelays.sped = 1, 2\n", "'delays.sped'"},
        {"[sweep]\nspeed = 1, 2\n", "'speed'"},
        {"[sweep]\ndelays.speed =\n", "delays.speed: the list of values is empty"},
        {"[sweep]\ndelays.speed = 1, , 2\n", "value 2 of '1, , 2' is empty"},
        {"[sweep]\ndelays.speed = 1; 2\n", "commas"},
        {"[sweep]\ndelays.speed = 1\ndelays.speed = 2\n", "delays.speed is swept twice"},
        {"[sweep]\noutput.file = a.h5, b.h5\n", "output.file cannot be swept"},
        {"[sweep]\ncheckpoint.file = a.h5, b.h5\n", "checkpoint.file cannot be swept"},
        {"[sweep]\ndelays.speed\n", "'delays.speed' is not"},
    };

    for (const auto& c : cases) {
        INFO(c.text);
        CHECK_THROWS_AS(parse(c.text), InputError);
        CHECK_THROWS_WITH(parse(c.text), Catch::Contains(c.culprit));
    }
}

TEST_CASE("sweep expansion refuses a bad value, naming the key and the value", "[sweep]") {
    auto negative = parse("[sweep]\ntransfer.slope = 1, 2\ndelays.speed = 1, -3\n");
    auto text = parse("[sweep]\nsimulation.fs = 250, fast\n");
    auto mismatch = parse("[sweep]\nweights.decays = 10 50; 10 50 90\n");
    auto missing = parse("[grid]\nfile = no-such-grid.txt\n[sweep]\ndelays.speed = 1\n");

    CHECK_THROWS_WITH(sweep::expand(negative),
                      Catch::Contains("delays.speed = -3") &&
                          Catch::Contains("delays.speed: -3 is out of range"));
    CHECK_THROWS_WITH(sweep::expand(text),
                      Catch::Contains("simulation.fs: 'fast' is not a number"));
    CHECK_THROWS_WITH(sweep::expand(mismatch),
                      Catch::Contains("weights.decays = 10 50 90") && Catch::Contains("3 decays"));
    CHECK_THROWS_WITH(sweep::expand(missing),
                      Catch::Contains("grid.file") && Catch::Contains("no-such-grid.txt"));
    CHECK_THROWS_AS(sweep::expand(negative), InputError);
}

TEST_CASE("sweep refuses a folder holding a sweep unless forced, and never drops outputs",
          "[sweep]") {
    test::ScratchDir dir;
    auto first = parse("[sweep]\ndelays.speed = 1, 2, 3\n");
    auto second = parse("[sweep]\ndelays.speed = 5, 6\n");
    sweep::write_sweep(dir.path(), first, sweep::expand(first), false);

    CHECK_THROWS_WITH(sweep::write_sweep(dir.path(), second, sweep::expand(second), false),
                      Catch::Contains("--force"));
    sweep::write_sweep(dir.path(), second, sweep::expand(second), true);
    auto after_force = dir.files();
    test::write_text(dir / "run-0000.h5", "result");
    CHECK_THROWS_WITH(sweep::write_sweep(dir.path(), first, sweep::expand(first), true),
                      Catch::Contains("run-0000.h5"));

    CHECK(after_force == std::vector<std::string>{"manifest.csv", "run-0000.ini", "run-0001.ini"});
    CHECK(sweep::run_count(dir.path()) == 2);
    CHECK(sweep::load_run(dir.path(), 1).delays.speed == 6.0);
}

TEST_CASE("sweep status tells complete, running, stopped, failed and missing runs apart",
          "[sweep]") {
    test::ScratchDir dir;
    auto file = parse("[sweep]\ndelays.speed = 1, 2, 3, 4, 5, 6, 7, 8\n");
    sweep::write_sweep(dir.path(), file, sweep::expand(file), false);
    test::write_text(dir / "run-0000.h5", "");
    test::write_text(dir / ".run-0001.h5.partial", "");
    test::write_text(dir / ".run-0001.alive", "");
    sweep::mark_failed(dir.path(), 2, "grid.file: file 'g.txt' does not exist");
    sweep::mark_failed(dir.path(), 3, "an earlier failure");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    test::write_text(dir / ".run-0003.h5.partial", "");
    test::write_text(dir / ".run-0003.alive", "");
    // Killed: its heartbeat stopped five minutes ago, or never started.
    test::write_text(dir / ".run-0005.h5.partial", "");
    test::write_text(dir / ".run-0005.alive", "");
    fs::last_write_time(dir / ".run-0005.alive",
                        fs::file_time_type::clock::now() - std::chrono::minutes(5));
    test::write_text(dir / ".run-0006.h5.partial", "");
    // Stopped by a signal at its checkpoint.
    test::write_text(dir / ".run-0007.h5.partial", "");
    test::write_text(dir / "run-0007.ckpt.h5", "");

    auto runs = sweep::status(dir.path());

    REQUIRE(runs.size() == 8);
    CHECK(runs[0].state == sweep::RunState::complete);
    CHECK(runs[1].state == sweep::RunState::running);
    CHECK(runs[2].state == sweep::RunState::failed);
    CHECK(runs[2].detail == "grid.file: file 'g.txt' does not exist");
    CHECK(runs[3].state == sweep::RunState::running);
    CHECK(runs[4].state == sweep::RunState::missing);
    CHECK(runs[4].values == std::vector<std::string>{"5"});
    CHECK(runs[5].state == sweep::RunState::stopped);
    CHECK(runs[5].detail == "no sign of life for 5 min (killed?); run it again");
    CHECK(runs[6].state == sweep::RunState::stopped);
    CHECK(runs[6].detail == "no sign of life (killed?); run it again");
    CHECK(runs[7].state == sweep::RunState::stopped);
    CHECK(runs[7].detail == "at its checkpoint run-0007.ckpt.h5; run it again to go on");
}

TEST_CASE("a heartbeat file is written, kept fresh, rewritten when removed, and removed at the end",
          "[sweep]") {
    test::ScratchDir dir;
    const std::string path = dir / "beat";
    const auto old = fs::file_time_type::clock::now() - std::chrono::minutes(10);
    {
        util::Heartbeat beat(path, std::chrono::milliseconds(20));
        REQUIRE(fs::exists(path));
        CHECK_THAT(util::read_whole_file(path, "heartbeat"), Catch::Contains("pid "));
        fs::last_write_time(path, old);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CHECK(fs::last_write_time(path) > old + std::chrono::minutes(9));
        fs::remove(path);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CHECK(fs::exists(path));
    }
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("sweep load_run refuses an index outside the manifest and a folder without one",
          "[sweep]") {
    test::ScratchDir dir;
    auto file = parse("[sweep]\ndelays.speed = 1, 2\n");
    sweep::write_sweep(dir / "s", file, sweep::expand(file), false);

    CHECK_THROWS_WITH(sweep::load_run(dir / "s", 2), Catch::Contains("0 to 1"));
    CHECK_THROWS_WITH(sweep::load_run(dir / "s", -1), Catch::Contains("out of range"));
    CHECK_THROWS_WITH(sweep::status(dir.path()), Catch::Contains("no manifest.csv"));
}
