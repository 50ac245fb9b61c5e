// The connectivity matrix of a trained MLP and the propagation through it, against the golden
// files and against the network's own forward pass.
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/connectivity.hpp>
#include <massnet/mlp/training.hpp>

#include <algorithm>
#include <cmath>

#include "support.hpp"

using namespace massnet;

namespace {

// Element by element within `margin` of `expected`, and of the same length.
auto within(const std::vector<double>& expected, double margin) {
    return Catch::Matchers::Approx(expected).epsilon(0).margin(margin);
}

}  // namespace

TEST_CASE(
    "mlp: the connectivity of the golden trained networks reproduces its matrix, bias and states",
    "[mlp]") {
    auto name = GENERATE(as<std::string>{}, "2-2-1", "2-3-1");
    io::Handle file = io::open_for_reading(test::data("mlp_xor_" + name + ".h5"), "golden");
    mlp::Network trained = mlp::read_network(file.id(), "trained", "golden");

    mlp::Connectivity a = mlp::connectivity_of(trained);
    auto states = mlp::propagate(a, mlp::Transfer{}, std::vector<double>{1.0, 0.0}, 2);

    INFO("network " << name);
    auto matrix = io::read_doubles(file.id(), "connectivity/matrix", "golden");
    CHECK(matrix.dims == std::vector<hsize_t>{a.size(), a.size()});
    CHECK_THAT(a.matrix, within(matrix.data, 1e-10));
    CHECK_THAT(a.bias,
               within(io::read_doubles(file.id(), "connectivity/bias", "golden").data, 1e-10));
    CHECK_THAT(states,
               within(io::read_doubles(file.id(), "connectivity/states", "golden").data, 1e-10));
}

TEST_CASE("mlp: after L steps the output block equals the forward output for all four inputs",
          "[mlp]") {
    auto sizes = GENERATE(std::vector<std::size_t>{2, 2, 1}, std::vector<std::size_t>{2, 4, 3, 1},
                          std::vector<std::size_t>{2, 3, 2});
    mlp::Rng rng = mlp::stream_rng(11);
    mlp::Network net = mlp::random_network(sizes, rng);
    mlp::Connectivity a = mlp::connectivity_of(net);
    std::size_t depth = net.layers.size();
    std::size_t m = a.size();

    for (const auto& x : mlp::gate_inputs()) {
        auto states = mlp::propagate(a, mlp::Transfer{}, x, depth);
        auto y = mlp::output(net, mlp::Transfer{}, x);

        std::vector<double> block(
            states.begin() + static_cast<std::ptrdiff_t>(depth * m + m - y.size()), states.end());
        INFO("network " << mlp::sizes_name(sizes) << ", input " << x[0] << " " << x[1]);
        CHECK_THAT(block, within(y, 1e-12));
    }
}

TEST_CASE("mlp: the connectivity matrix holds each W_l in its block and zeros elsewhere", "[mlp]") {
    mlp::Rng rng = mlp::stream_rng(3);
    mlp::Network net = mlp::random_network({2, 3, 1}, rng);

    mlp::Connectivity a = mlp::connectivity_of(net);

    REQUIRE(a.size() == 6);
    CHECK(a.inputs() == 2);
    CHECK(a.outputs() == 1);
    // rows 2..4 (hidden) take columns 0..1 (inputs); row 5 (output) takes columns 2..4.
    CHECK(a.matrix[3 * 6 + 1] == net.layers[0].weight(1, 1));
    CHECK(a.matrix[5 * 6 + 4] == net.layers[1].weight(0, 2));
    CHECK(a.bias[4] == net.layers[0].bias[2]);
    double others = 0.0;
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 6; ++j) {
            bool hidden_block = i >= 2 && i < 5 && j < 2;
            bool output_block = i == 5 && j >= 2 && j < 5;
            if (!hidden_block && !output_block) others += std::abs(a.matrix[i * 6 + j]);
        }
    CHECK(others == 0.0);
    CHECK(a.bias[0] == 0.0);
    CHECK(a.bias[1] == 0.0);
}

TEST_CASE("mlp: a connectivity written to a file reads back the same", "[mlp]") {
    test::ScratchDir dir;
    mlp::Rng rng = mlp::stream_rng(8);
    mlp::Connectivity a = mlp::connectivity_of(mlp::random_network({2, 2, 1}, rng));

    {
        io::Handle file = io::create_file(dir / "a.h5");
        mlp::write_connectivity(file.id(), a);
    }
    io::Handle file = io::open_for_reading(dir / "a.h5", "test");
    mlp::Connectivity back = mlp::read_connectivity(file.id(), "test");

    CHECK(mlp::has_connectivity(file.id()));
    CHECK(back.layers == a.layers);
    CHECK(back.matrix == a.matrix);
    CHECK(back.bias == a.bias);
}
