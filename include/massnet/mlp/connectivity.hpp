#pragma once
// An MLP as one connectivity matrix over all its neurons, inputs first: A holds W_l in the block
// from layer l - 1 to layer l, c holds b_l in layer l's block and zeros for the inputs. A state
// propagates as s(t + 1) = f(A s(t) - c) from s(0) = (x, 0, .., 0).
#include <massnet/mlp/network.hpp>
#include <massnet/mlp/transfer.hpp>

#include <hdf5.h>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace massnet::mlp {

struct Connectivity {
    std::vector<std::size_t> layers;  ///< n_0 .. n_L
    std::vector<double> matrix;       ///< A, M x M, row-major
    std::vector<double> bias;         ///< c, M

    std::size_t size() const { return bias.size(); }  ///< M = sum_l n_l
    std::size_t inputs() const { return layers.front(); }
    std::size_t outputs() const { return layers.back(); }
};

Connectivity connectivity_of(const Network& net);

/// s(0) = (input, 0, .., 0), then `steps` steps; returns the states, (steps + 1) x M row-major.
std::vector<double> propagate(const Connectivity& a, const Transfer& f,
                              std::span<const double> input, std::size_t steps);

/// Reads `/connectivity/matrix`, `/connectivity/bias` and the group's `layers` attribute; a matrix
/// that is not square, a bias of another length or layers that do not add up to M are
/// InputErrors naming `what`.
Connectivity read_connectivity(hid_t file, const std::string& what);
/// Writes `/connectivity/matrix`, `/connectivity/bias` and the attributes `inputs`, `outputs`,
/// `layers` of the group.
void write_connectivity(hid_t file, const Connectivity& a);
/// Whether the file holds a connectivity written by write_connectivity.
bool has_connectivity(hid_t file);

}  // namespace massnet::mlp
