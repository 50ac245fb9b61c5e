// The neuron and the MLP against the NumPy reference's golden files: same initial weights, same
// samples, so the errors and the trained weights must agree to rounding.
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/neuron.hpp>
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

std::vector<double> golden(hid_t file, const std::string& path) {
    return io::read_doubles(file, path, "golden").data;
}

}  // namespace

TEST_CASE("mlp: a neuron trained on the golden samples reproduces its errors and weights to 1e-10",
          "[mlp]") {
    auto gate = GENERATE(as<std::string>{}, "and", "or", "xor");
    io::Handle file = io::open_for_reading(test::data("neuron_" + gate + ".h5"), "golden");
    mlp::Network net = mlp::as_network(mlp::read_neuron(file.id(), "initial", "golden"));
    mlp::Samples samples = mlp::read_samples(file.id(), "golden");

    auto errors = mlp::train(net, mlp::Transfer{}, 1.0, samples);
    mlp::Neuron trained = mlp::as_neuron(net);

    INFO("gate " << gate);
    CHECK_THAT(errors, within(golden(file.id(), "errors"), 1e-10));
    CHECK_THAT(trained.weights, within(golden(file.id(), "trained/weights"), 1e-10));
    CHECK(std::abs(trained.bias - golden(file.id(), "trained/bias")[0]) < 1e-10);
}

TEST_CASE("mlp: an MLP trained on the golden XOR samples reproduces its errors and layers to 1e-10",
          "[mlp]") {
    auto name = GENERATE(as<std::string>{}, "2-2-1", "2-3-1");
    io::Handle file = io::open_for_reading(test::data("mlp_xor_" + name + ".h5"), "golden");
    mlp::Network net = mlp::read_network(file.id(), "initial", "golden");
    mlp::Samples samples = mlp::read_samples(file.id(), "golden");

    auto errors = mlp::train(net, mlp::Transfer{}, 1.0, samples);

    INFO("network " << name);
    CHECK(mlp::sizes_name(net.sizes()) == name);
    CHECK_THAT(errors, within(golden(file.id(), "errors"), 1e-10));
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        std::string prefix = "trained/" + std::to_string(l);
        CHECK_THAT(net.layers[l].weights, within(golden(file.id(), prefix + "/weights"), 1e-10));
        CHECK_THAT(net.layers[l].bias, within(golden(file.id(), prefix + "/bias"), 1e-10));
    }
}

TEST_CASE("mlp: the transfer derivatives match central differences of the transfer functions",
          "[mlp]") {
    auto kind = GENERATE(mlp::TransferKind::logistic, mlp::TransferKind::gauss);
    mlp::Transfer f{kind, 1.7};
    const double step = 1e-6;

    for (double h : {-2.0, -0.3, 0.0, 0.4, 1.5}) {
        double numeric = (f.value(h + step) - f.value(h - step)) / (2 * step);

        INFO(mlp::name_of(kind) << " at h = " << h);
        CHECK(f.derivative(h, f.value(h)) == Approx(numeric).margin(1e-8));
    }
}

TEST_CASE("mlp: a training step lowers the error on the pattern it was made on, for both transfers",
          "[mlp]") {
    auto kind = GENERATE(mlp::TransferKind::logistic, mlp::TransferKind::gauss);
    mlp::Rng rng = mlp::stream_rng(5);
    mlp::Network net = mlp::random_network({2, 3, 1}, rng);
    mlp::Transfer f{kind, 1.0};
    mlp::Trainer trainer(net, f, 0.1);
    std::vector<double> x{1.0, 0.0}, o{1.0};

    double before = trainer.step(net, x, o);
    double after = 0.5 * std::pow(mlp::output(net, f, x)[0] - o[0], 2);

    INFO(mlp::name_of(kind));
    CHECK(after < before);
}

TEST_CASE("mlp: drawn samples follow the gate and a seed always draws the same network and samples",
          "[mlp]") {
    mlp::Rng first = mlp::stream_rng(42);
    mlp::Rng second = mlp::stream_rng(42);

    auto a = mlp::random_network({2, 2, 1}, first);
    auto b = mlp::random_network({2, 2, 1}, second);
    auto samples = mlp::draw_samples(mlp::Task::xor_gate, 1000, first);
    auto again = mlp::draw_samples(mlp::Task::xor_gate, 1000, second);

    CHECK(a.layers[0].weights == b.layers[0].weights);
    CHECK(a.layers[1].bias == b.layers[1].bias);
    CHECK(samples.inputs == again.inputs);
    std::size_t ones = 0;
    for (std::size_t n = 0; n < samples.count(); ++n) {
        auto x = samples.input(n);
        CHECK(samples.target(n)[0] == (x[0] != x[1] ? 1.0 : 0.0));
        ones += x[0] == 1.0;
    }
    // 1000 fair coins: 500 +- 16 is one standard deviation; 6 of them is far out.
    CHECK(ones > 400);
    CHECK(ones < 600);
}

TEST_CASE("mlp: the truth table of the distinct sample inputs lists each input once, sorted",
          "[mlp]") {
    mlp::Samples samples{2, 1, {1, 1, 0, 0, 1, 1, 0, 1}, {0, 0, 0, 1}};
    mlp::Network net = mlp::as_network(mlp::Neuron{{1.0, 1.0}, 0.5});

    auto rows = mlp::truth_table(net, mlp::Transfer{}, mlp::distinct_patterns(samples, 16));

    REQUIRE(rows.size() == 3);
    CHECK(rows[0].input == std::vector<double>{0, 0});
    CHECK(rows[1].input == std::vector<double>{0, 1});
    CHECK(rows[1].target == std::vector<double>{1});
    CHECK(rows[2].input == std::vector<double>{1, 1});
    CHECK(rows[2].output[0] == Approx(1.0 / (1.0 + std::exp(-1.5))));
}
