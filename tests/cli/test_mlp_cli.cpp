// massnet neuron and massnet mlp run as a user runs them: the files they write against the
// golden files, and every refusal of bad input (exit code 2, the option named, nothing written).
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>

#include <algorithm>
#include <cmath>

#include "support.hpp"

using namespace massnet;

namespace {

double max_difference(const std::string& file_a, const std::string& file_b,
                      const std::string& path) {
    io::Handle a = io::open_for_reading(file_a, "a");
    io::Handle b = io::open_for_reading(file_b, "b");
    auto x = io::read_doubles(a.id(), path, "a");
    auto y = io::read_doubles(b.id(), path, "b");
    REQUIRE(x.dims == y.dims);
    double worst = 0.0;
    for (std::size_t i = 0; i < x.data.size(); ++i)
        worst = std::max(worst, std::abs(x.data[i] - y.data[i]));
    return worst;
}

std::string kind_of(const std::string& path) {
    io::Handle file = io::open_for_reading(path, "test");
    return io::read_string_attribute(file.id(), "massnet_kind");
}

// A connectivity file with the given shapes, for the refusals.
void write_bad_connectivity(const std::string& path, std::vector<hsize_t> matrix_dims,
                            hsize_t bias_length) {
    io::Handle file = io::create_file(path);
    std::size_t count = 1;
    for (auto d : matrix_dims)
        count *= d;
    io::write_doubles(file.id(), "connectivity/matrix", std::vector<double>(count, 0.5),
                      matrix_dims);
    io::write_doubles(file.id(), "connectivity/bias", std::vector<double>(bias_length, 0.0),
                      {bias_length});
    io::Handle group = io::create_group(file.id(), "connectivity");
    io::write_attribute(group.id(), "layers", std::vector<std::int64_t>{2, 2, 1});
}

}  // namespace

TEST_CASE("mlp: massnet neuron with the golden --init and --samples writes the golden's results",
          "[mlp][cli]") {
    auto gate = GENERATE(as<std::string>{}, "and", "or", "xor");
    test::ScratchDir dir;
    std::string golden = test::data("neuron_" + gate + ".h5");

    auto run =
        test::massnet({"neuron", "--init", golden, "--samples", golden, "--out", dir / "n.h5"});

    INFO(run.err);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("input  target") != std::string::npos);
    CHECK(kind_of(dir / "n.h5") == "neuron");
    for (std::string path : {"errors", "trained/weights", "trained/bias", "initial/weights",
                             "initial/bias", "inputs", "targets"})
        CHECK(max_difference(dir / "n.h5", golden, path) < 1e-10);
}

TEST_CASE("mlp: massnet mlp train with the golden --init and --samples writes the golden's results",
          "[mlp][cli]") {
    auto name = GENERATE(as<std::string>{}, "2-2-1", "2-3-1");
    test::ScratchDir dir;
    std::string golden = test::data("mlp_xor_" + name + ".h5");
    std::string layers = name;
    std::replace(layers.begin(), layers.end(), '-', ',');

    auto run = test::massnet({"mlp", "train", "--layers", layers, "--init", golden, "--samples",
                              golden, "--out", dir / "m.h5"});

    INFO(run.err);
    REQUIRE(run.code == 0);
    CHECK(kind_of(dir / "m.h5") == "mlp");
    for (std::string path : {"errors", "trained/0/weights", "trained/0/bias", "trained/1/weights",
                             "trained/1/bias", "initial/0/weights", "inputs", "targets"})
        CHECK(max_difference(dir / "m.h5", golden, path) < 1e-10);
}

TEST_CASE(
    "mlp: massnet mlp connectivity and propagate reproduce the golden matrix, bias and states",
    "[mlp][cli]") {
    auto name = GENERATE(as<std::string>{}, "2-2-1", "2-3-1");
    test::ScratchDir dir;
    std::string golden = test::data("mlp_xor_" + name + ".h5");

    auto matrix =
        test::massnet({"mlp", "connectivity", "--network", golden, "--out", dir / "c.h5"});
    auto from_matrix = test::massnet({"mlp", "propagate", "--connectivity", dir / "c.h5", "--input",
                                      "1,0", "--out", dir / "s.h5"});
    auto from_network = test::massnet(
        {"mlp", "propagate", "--connectivity", golden, "--input", "1,0", "--out", dir / "t.h5"});

    INFO(matrix.err << from_matrix.err << from_network.err);
    REQUIRE(matrix.code == 0);
    REQUIRE(from_matrix.code == 0);
    REQUIRE(from_network.code == 0);
    CHECK(kind_of(dir / "c.h5") == "connectivity");
    CHECK(kind_of(dir / "s.h5") == "propagation");
    CHECK(max_difference(dir / "c.h5", golden, "connectivity/matrix") < 1e-10);
    CHECK(max_difference(dir / "c.h5", golden, "connectivity/bias") < 1e-10);
    io::Handle golden_file = io::open_for_reading(golden, "golden");
    auto states = io::read_doubles(golden_file.id(), "connectivity/states", "golden");
    for (const auto& out : {dir / "s.h5", dir / "t.h5"}) {
        io::Handle file = io::open_for_reading(out, "test");
        auto mine = io::read_doubles(file.id(), "states", "test");
        REQUIRE(mine.dims == states.dims);
        for (std::size_t i = 0; i < mine.data.size(); ++i)
            CHECK(std::abs(mine.data[i] - states.data[i]) < 1e-10);
    }
    CHECK(from_network.out.find("equals the network's forward output") != std::string::npos);
}

TEST_CASE("mlp: massnet neuron learns AND from a seed and prints an aligned truth table",
          "[mlp][cli]") {
    test::ScratchDir dir;

    auto run = test::massnet({"neuron", "--task", "and", "--seed", "4", "--out", dir / "n.h5"});

    INFO(run.err);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("input  target    output     error") != std::string::npos);
    CHECK(run.out.find("  1 1       1  0.9") != std::string::npos);
    io::Handle file = io::open_for_reading(dir / "n.h5", "test");
    CHECK(io::read_string_attribute(file.id(), "task") == "and");
    CHECK(io::read_int64_attribute(file.id(), "iterations") == 10000);
    CHECK(io::read_int64_attribute(file.id(), "seed") == 4);
    CHECK(io::read_doubles(file.id(), "inputs", "test").dims == std::vector<hsize_t>{10000, 2});
}

TEST_CASE("mlp: massnet mlp study writes every trial and a summary consistent with it",
          "[mlp][cli]") {
    test::ScratchDir dir;

    auto run = test::massnet({"mlp", "study", "--layers", "2,2,1", "--layers", "2,4,1", "--trials",
                              "40", "--iterations", "3000", "--out", dir / "s.h5"});

    INFO(run.err);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("95% interval") != std::string::npos);
    CHECK(kind_of(dir / "s.h5") == "mlp-study");
    io::Handle file = io::open_for_reading(dir / "s.h5", "test");
    CHECK(io::read_int64_attribute(file.id(), "trials") == 40);
    for (std::string group : {"2-2-1", "2-4-1"}) {
        io::Handle g(H5Gopen2(file.id(), group.c_str(), H5P_DEFAULT));
        REQUIRE(g.valid());
        auto converged = io::read_int64s(g.id(), "converged", "test").data;
        auto iterations = io::read_int64s(g.id(), "iterations_to_converge", "test").data;
        REQUIRE(converged.size() == 40);
        REQUIRE(io::read_doubles(g.id(), "final_error", "test").data.size() == 40);
        std::int64_t count = std::count(converged.begin(), converged.end(), 1);
        CHECK(io::read_int64_attribute(g.id(), "converged") == count);
        CHECK(io::read_double_attribute(g.id(), "converged_fraction") == Approx(count / 40.0));
        for (std::size_t t = 0; t < 40; ++t)
            CHECK((iterations[t] > 0) == (converged[t] == 1));
    }
}

TEST_CASE("mlp: every mlp command explains its options with their defaults under --help",
          "[mlp][cli]") {
    std::vector<std::vector<std::string>> commands{{"neuron"},
                                                   {"mlp", "train"},
                                                   {"mlp", "study"},
                                                   {"mlp", "connectivity"},
                                                   {"mlp", "propagate"}};

    for (auto args : commands) {
        args.push_back("--help");
        auto run = test::massnet(args);

        INFO(args[args.size() - 2]);
        CHECK(run.code == 0);
        CHECK(run.out.find("Usage: massnet") != std::string::npos);
        CHECK(run.out.find("--out") != std::string::npos);
        CHECK(run.out.find("(default") != std::string::npos);
    }
}

TEST_CASE("mlp: each bad input is refused with exit code 2, the option named and no file written",
          "[mlp][cli]") {
    test::ScratchDir dir;
    std::string neuron = test::data("neuron_and.h5");
    std::string net221 = test::data("mlp_xor_2-2-1.h5");
    write_bad_connectivity(dir / "oblong.h5", {5, 4}, 5);
    write_bad_connectivity(dir / "short-bias.h5", {5, 5}, 4);
    test::write_text(dir / "taken.h5", "already here");
    std::string out = dir / "out.h5";
    struct Case {
        std::vector<std::string> args;
        std::string option;
    };
    std::vector<Case> cases{
        {{"neuron", "--iterations", "0"}, "--iterations"},
        {{"mlp", "train", "--iterations", "-5"}, "--iterations"},
        {{"neuron", "--rate", "0"}, "--rate"},
        {{"mlp", "train", "--rate", "-1"}, "--rate"},
        {{"neuron", "--task", "nand"}, "--task"},
        {{"mlp", "train", "--transfer", "tanh"}, "--transfer"},
        {{"neuron", "--samples", dir / "missing.h5"}, "--samples"},
        {{"neuron", "--init", dir / "missing.h5"}, "--init"},
        {{"neuron", "--samples", neuron, "--task", "or"}, "--task"},
        {{"neuron", "--samples", neuron, "--iterations", "10001"}, "--iterations"},
        {{"mlp", "train", "--layers", "3,2,1", "--samples", net221}, "--samples"},
        {{"mlp", "train", "--layers", "2,3,1", "--init", net221}, "--init"},
        {{"mlp", "train", "--layers", "2,0,1"}, "--layers"},
        {{"mlp", "train", "--layers", "3,2,1", "--task", "xor"}, "--task"},
        {{"mlp", "study", "--iterations", "0"}, "--iterations"},
        {{"mlp", "study", "--rate", "0"}, "--rate"},
        {{"mlp", "study", "--trials", "0"}, "--trials"},
        {{"mlp", "study", "--layers", "3,2,1"}, "--layers"},
        {{"mlp", "connectivity", "--network", dir / "missing.h5"}, "--network"},
        {{"mlp", "propagate", "--connectivity", dir / "missing.h5", "--input", "1,0"},
         "--connectivity"},
        {{"mlp", "propagate", "--connectivity", dir / "oblong.h5", "--input", "1,0"},
         "--connectivity"},
        {{"mlp", "propagate", "--connectivity", dir / "short-bias.h5", "--input", "1,0"},
         "--connectivity"},
        {{"mlp", "propagate", "--connectivity", net221, "--input", "1,0,1"}, "--input"},
        {{"mlp", "propagate", "--connectivity", net221, "--input", "1,0", "--steps", "0"},
         "--steps"},
        {{"mlp", "train", "--out", dir / "taken.h5"}, "--out"},
    };
    auto files_before = dir.files();

    for (auto c : cases) {
        if (std::find(c.args.begin(), c.args.end(), "--out") == c.args.end())
            c.args.insert(c.args.end(), {"--out", out});
        auto run = test::massnet(c.args);

        std::string line = run.err.substr(0, run.err.find('\n'));
        INFO(c.option << ": " << run.err);
        CHECK(run.code == 2);
        CHECK(line.find(c.option) != std::string::npos);
        CHECK(run.err.find('\n') == run.err.size() - 1);  // one line
        CHECK(dir.files() == files_before);
    }
}

TEST_CASE("mlp: the mlp commands refuse to run under more than one MPI rank", "[mlp][cli]") {
    auto run = test::massnet_mpi(2, {"neuron", "--iterations", "10"});

    CHECK(run.code != 0);
    CHECK(run.err.find("one process") != std::string::npos);
}
