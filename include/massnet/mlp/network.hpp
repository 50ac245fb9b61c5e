#pragma once
// A multi-layer perceptron: layer l = 1 .. L has weights W_l (n_l x n_{l-1}) and biases b_l,
// h_l = W_l x_{l-1} - b_l, x_l = f(h_l), x_0 the input, y = x_L.
#include <massnet/mlp/random.hpp>
#include <massnet/mlp/transfer.hpp>

#include <hdf5.h>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace massnet::mlp {

struct Layer {
    std::size_t inputs = 0;       ///< n_{l-1}
    std::size_t outputs = 0;      ///< n_l
    std::vector<double> weights;  ///< W_l, outputs x inputs, row-major
    std::vector<double> bias;     ///< b_l, outputs

    double& weight(std::size_t i, std::size_t j) { return weights[i * inputs + j]; }
    double weight(std::size_t i, std::size_t j) const { return weights[i * inputs + j]; }
};

struct Network {
    std::vector<Layer> layers;

    /// n_0, n_1, .. n_L: the inputs first.
    std::vector<std::size_t> sizes() const;
    std::size_t inputs() const { return layers.front().inputs; }
    std::size_t outputs() const { return layers.back().outputs; }
};

/// The inputs, sums and outputs of one forward pass: x[0] the input, x[l] and h[l - 1] those of
/// layer l. Kept between passes so that training allocates nothing per step.
struct Pass {
    std::vector<std::vector<double>> x;
    std::vector<std::vector<double>> h;
};

/// A network of the given sizes (n_0 first) with every weight and bias drawn from N(0, 1), layer
/// by layer, the weights (row-major) before the biases.
Network random_network(const std::vector<std::size_t>& sizes, Rng& rng);

/// Runs the network on `input` (n_0 values), filling `pass`; returns y = x_L.
std::span<const double> forward(const Network& net, const Transfer& f,
                                std::span<const double> input, Pass& pass);
/// y for one input.
std::vector<double> output(const Network& net, const Transfer& f, std::span<const double> input);

/// Reads `<group>/<l>/weights` and `<group>/<l>/bias` for l = 0, 1, ..; a missing group or shapes
/// that do not chain are InputErrors naming `what`.
Network read_network(hid_t file, const std::string& group, const std::string& what);
void write_network(hid_t file, const std::string& group, const Network& net);

/// "2-3-1"
std::string sizes_name(const std::vector<std::size_t>& sizes);

}  // namespace massnet::mlp
