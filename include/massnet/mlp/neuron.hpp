#pragma once
// A single neuron, h = w . x - b, y = f(h): a network of one layer holding one neuron, stored in
// files with `weights` (n,) and a scalar `bias`.
#include <massnet/mlp/network.hpp>

#include <hdf5.h>

#include <string>
#include <vector>

namespace massnet::mlp {

struct Neuron {
    std::vector<double> weights;  ///< w
    double bias = 0.0;            ///< b
};

/// w, b ~ N(0, 1): the weights first, then the bias.
Neuron random_neuron(std::size_t inputs, Rng& rng);

Network as_network(const Neuron& neuron);
/// The neuron of a network of one layer with one output.
Neuron as_neuron(const Network& net);

/// Reads `<group>/weights` (n,) and `<group>/bias` (); InputErrors name `what`.
Neuron read_neuron(hid_t file, const std::string& group, const std::string& what);
void write_neuron(hid_t file, const std::string& group, const Neuron& neuron);

}  // namespace massnet::mlp
