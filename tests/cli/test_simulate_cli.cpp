// massnet simulate and massnet network as a user runs them: outputs, layout and bad input.
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>
#include <massnet/io/npy.hpp>
#include <massnet/simulation/simulation.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>

#include "support.hpp"

using namespace massnet;

namespace {

std::string npy_header_with(const std::string& dict, const std::string& payload) {
    std::string header = dict;
    std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::string out = "\x93NUMPY\x01";
    out += '\0';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    return out + header + payload;
}

struct BadCase {
    std::string name;
    std::vector<std::string> args;  // after "simulate"
    std::string culprit;            // the message must name it
};

}  // namespace

TEST_CASE("simulate writes a SONATA report with every parameter as attributes", "[cli][simulate]") {
    test::ScratchDir dir;
    test::write_text(dir / "grid.txt", test::cube_grid());

    auto run = test::massnet({"simulate", "--grid.file=grid.txt", "--simulation.duration=0.05",
                              "--output.every=2", "--output.file=out.h5"},
                             dir.path());

    REQUIRE(run.code == 0);
    CHECK_THAT(run.out,
               Catch::Contains("27 sources") && Catch::Contains("out.h5 (25 steps x 27 sources)"));
    io::Handle file = io::open_for_reading(dir / "out.h5", "test");
    auto data = io::read_doubles(file.id(), "/report/sources/data", "test");
    CHECK(data.dims == std::vector<hsize_t>{25, 27});
    CHECK(std::all_of(data.data.begin(), data.data.end(), [](double y) { return y > 0 && y < 1; }));
    auto ids = io::read_int64s(file.id(), "/report/sources/mapping/node_ids", "test");
    CHECK(ids.data.size() == 27);
    CHECK(ids.data.back() == 26);
    auto time = io::read_doubles(file.id(), "/report/sources/mapping/time", "test");
    CHECK(time.data == std::vector<double>{0.0, 50.0, 2.0});
    CHECK(io::read_doubles(file.id(), "/sources/positions", "test").dims ==
          std::vector<hsize_t>{27, 3});
    CHECK(io::read_int64_attribute(file.id(), "T") >= 2);
    CHECK(io::read_int64_attribute(file.id(), "d_min") == 2);
    CHECK(io::read_int64_attribute(file.id(), "connections") == 27 * 27);
    CHECK(io::read_double_attribute(file.id(), "speed") == 0.5);
    CHECK(io::read_doubles_attribute(file.id(), "decays") == std::vector<double>{10.0, 50.0});
    CHECK_THAT(io::read_string_attribute(file.id(), "command_line"),
               Catch::Contains("--output.every=2"));
    CHECK_THAT(io::read_string_attribute(file.id(), "config"), Catch::Contains("every = 2"));
    CHECK(io::has_attribute(file.id(), "massnet_version"));
    CHECK(io::has_attribute(file.id(), "threads"));
    CHECK(io::read_double_attribute(file.id(), "wall_simulate_s") >= 0);
    CHECK(io::read_double_attribute(file.id(), "wall_setup_s") >= 0);
    const StepPlan plan = plan_steps(io::read_int64_attribute(file.id(), "d_min"),
                                     io::read_int64_attribute(file.id(), "T"));
    CHECK(io::read_int64_attribute(file.id(), "block_steps") == plan.block);
    CHECK(io::read_int64_attribute(file.id(), "exchange_steps") == plan.exchange);
    CHECK(dir.files() == std::vector<std::string>{"grid.txt", "out.h5"});
}

TEST_CASE("simulate reproduces the golden activity from its positions and history",
          "[cli][simulate][golden]") {
    test::ScratchDir dir;
    const std::string golden = test::data("neural_mass_300_fs250.h5");

    auto run = test::massnet({"simulate", "--grid.file=" + golden, "--simulation.initial=" + golden,
                              "--simulation.fs=250", "--simulation.duration=0.5",
                              "--output.file=" + (dir / "out.h5")});

    REQUIRE(run.code == 0);
    io::Handle out = io::open_for_reading(dir / "out.h5", "test");
    io::Handle ref = io::open_for_reading(golden, "test");
    auto a = io::read_doubles(out.id(), "/report/sources/data", "test");
    auto b = io::read_doubles(ref.id(), "activity", "test");
    REQUIRE(a.dims == b.dims);
    double worst = 0;
    for (std::size_t i = 0; i < a.data.size(); ++i)
        worst = std::max(worst, std::abs(a.data[i] - b.data[i]));
    CHECK(worst < 1e-10);
}

TEST_CASE("simulate reads a config file and the command line wins over it",
          "[cli][simulate][config]") {
    test::ScratchDir dir;
    test::write_text(dir / "grid.txt", test::cube_grid());
    test::write_text(dir / "run.ini",
                     "[grid]\nfile = grid.txt\n[simulation]\nfs = 500\nduration = 0.1\n"
                     "[output]\nfile = from-config.h5\n");

    auto run = test::massnet({"simulate", "run.ini", "--simulation.duration=0.02"}, dir.path());

    REQUIRE(run.code == 0);
    io::Handle file = io::open_for_reading(dir / "from-config.h5", "test");
    CHECK(io::read_double_attribute(file.id(), "fs") == 500);
    CHECK(io::read_double_attribute(file.id(), "duration") == 0.02);
    CHECK(io::read_doubles(file.id(), "/report/sources/data", "test").dims[0] == 10);
}

TEST_CASE("an existing output is kept unless --force", "[cli][simulate]") {
    test::ScratchDir dir;
    test::write_text(dir / "grid.txt", test::cube_grid());
    test::write_text(dir / "out.h5", "precious");
    std::vector<std::string> args{"simulate", "--grid.file=grid.txt", "--simulation.duration=0.01",
                                  "--output.file=out.h5"};

    auto refused = test::massnet(args, dir.path());
    std::string after_refusal = test::read_text(dir / "out.h5");
    args.push_back("--force");
    auto forced = test::massnet(args, dir.path());

    CHECK(refused.code == 2);
    CHECK_THAT(refused.err, Catch::Contains("out.h5") && Catch::Contains("--force"));
    CHECK(after_refusal == "precious");
    CHECK(forced.code == 0);
    CHECK(test::read_text(dir / "out.h5") != "precious");
}

TEST_CASE("the built-in grid has about 4,000 sources of adult-brain size", "[cli][grid]") {
    test::ScratchDir dir;

    auto run = test::massnet({"simulate", "--simulation.duration=0.002", "--output.file=b.h5"},
                             dir.path());

    REQUIRE(run.code == 0);
    io::Handle file = io::open_for_reading(dir / "b.h5", "test");
    auto positions = io::read_doubles(file.id(), "/sources/positions", "test");
    const std::size_t n = positions.dims[0];
    CHECK(n > 3500);
    CHECK(n < 4500);
    double extent[3] = {0, 0, 0};
    for (std::size_t i = 0; i < n; ++i)
        for (int a = 0; a < 3; ++a)
            extent[a] = std::max(extent[a], 2 * std::abs(positions.data[3 * i + a]));
    CHECK(extent[0] == Approx(0.14).margin(0.015));
    CHECK(extent[1] == Approx(0.17).margin(0.015));
    CHECK(extent[2] == Approx(0.12).margin(0.015));
}

TEST_CASE("network writes the golden weights and delays as dense matrices", "[cli][network]") {
    test::ScratchDir dir;
    const std::string golden = test::data("neural_mass_300_fs1000.h5");

    auto run =
        test::massnet({"network", "--grid.file=" + golden, "--output.file=" + (dir / "net.h5")});

    REQUIRE(run.code == 0);
    io::Handle out = io::open_for_reading(dir / "net.h5", "test");
    io::Handle ref = io::open_for_reading(golden, "test");
    CHECK(io::read_int64s(out.id(), "delays", "t").data ==
          io::read_int64s(ref.id(), "delays", "t").data);
    auto w = io::read_doubles(out.id(), "weights", "t").data;
    auto g = io::read_doubles(ref.id(), "weights", "t").data;
    double worst = 0;
    for (std::size_t i = 0; i < w.size(); ++i)
        worst = std::max(worst, std::abs(w[i] - g[i]));
    CHECK(worst <= 1e-16);
    auto slices = io::read_int64s(out.id(), "slice_connections", "t").data;
    CHECK(slices.size() == 344);
    CHECK(std::accumulate(slices.begin(), slices.end(), std::int64_t{0}) == 300 * 300);
    CHECK(io::read_string_attribute(out.id(), "massnet_kind") == "network");
}

TEST_CASE("each bad input ends with exit 2, a message naming the culprit and no output",
          "[cli][bad-input]") {
    test::ScratchDir dir;
    const std::string out = "--output.file=out.h5";
    test::write_text(dir / "grid.txt", test::cube_grid());
    io::write_npy(dir / "flat.npy", {0, 0, 0, 1, 1, 1}, {3, 2});
    io::write_npy(dir / "nan.npy", {0, 0, 0, std::nan(""), 0, 0}, {2, 3});
    io::write_npy(dir / "inf.npy", {0, 0, 0, std::numeric_limits<double>::infinity(), 0, 0},
                  {2, 3});
    io::write_npy(dir / "empty.npy", {}, {0, 3});
    io::write_npy(dir / "history.npy", std::vector<double>(27 * 5, 0.5), {27, 5});
    std::vector<double> nan_history(27 * 24, 0.5);
    nan_history[30] = std::nan("");
    io::write_npy(dir / "nan-history.npy", nan_history, {27, 24});
    nan_history[30] = std::numeric_limits<double>::infinity();
    io::write_npy(dir / "inf-history.npy", nan_history, {27, 24});
    test::write_text(dir / "ints.npy",
                     npy_header_with("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 3), }",
                                     std::string(24, '\0')));
    test::write_text(dir / "short.npy",
                     npy_header_with("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                                     std::string(20, '\0')));
    const std::string grid = "--grid.file=grid.txt";

    std::vector<BadCase> cases = {
        {"missing grid file", {"--grid.file=absent.npy", out}, "absent.npy"},
        {"grid path is a directory", {"--grid.file=.", out}, "directory"},
        {"wrong dtype", {"--grid.file=ints.npy", out}, "'<i8'"},
        {"wrong shape", {"--grid.file=flat.npy", out}, "(3, 2)"},
        {"truncated npy", {"--grid.file=short.npy", out}, "truncated"},
        {"NaN position", {"--grid.file=nan.npy", out}, "source 1"},
        {"infinite position", {"--grid.file=inf.npy", out}, "source 1"},
        {"empty grid", {"--grid.file=empty.npy", out}, "no sources"},
        {"fs zero", {grid, "--simulation.fs=0", out}, "simulation.fs"},
        {"fs negative", {grid, "--simulation.fs=-100", out}, "simulation.fs"},
        {"speed zero", {grid, "--delays.speed=0", out}, "delays.speed"},
        {"negative synaptic delay", {grid, "--delays.synaptic=-0.001", out}, "delays.synaptic"},
        {"duration zero", {grid, "--simulation.duration=0", out}, "simulation.duration"},
        {"amplitudes and decays differ",
         {grid, "--weights.amplitudes=0.1,0.2,0.3", out},
         "weights.amplitudes"},
        {"history of the wrong shape",
         {grid, "--simulation.initial=history.npy", out},
         "simulation.initial"},
        {"history holding NaN",
         {grid, "--simulation.initial=nan-history.npy", out},
         "simulation.initial"},
        {"history holding infinity",
         {grid, "--simulation.initial=inf-history.npy", out},
         "simulation.initial"},
        {"missing history", {grid, "--simulation.initial=absent.h5", out}, "absent.h5"},
        {"unknown rounding", {grid, "--delays.rounding=up", out}, "delays.rounding"},
        {"malformed number", {grid, "--simulation.fs=fast", out}, "simulation.fs"},
        {"unknown key", {grid, "--simulation.speed=2", out}, "simulation.speed"},
        {"output in a missing directory", {grid, "--output.file=nowhere/out.h5"}, "nowhere"},
        {"record every zero steps", {grid, "--output.every=0", out}, "output.every"},
    };

    for (const auto& c : cases) {
        SECTION(c.name) {
            std::vector<std::string> args{"simulate"};
            args.insert(args.end(), c.args.begin(), c.args.end());
            auto before = dir.files();

            auto run = test::massnet(args, dir.path());

            CHECK(run.code == 2);
            CHECK_THAT(run.err, Catch::Contains(c.culprit));
            CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
            CHECK(dir.files() == before);
        }
    }
}
