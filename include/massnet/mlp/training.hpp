#pragma once
// Online backpropagation of e = 1/2 |y - o|^2, and what a trained network does on each pattern.
#include <massnet/mlp/network.hpp>
#include <massnet/mlp/samples.hpp>
#include <massnet/mlp/transfer.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace massnet::mlp {

/// Trains one network step by step; holds the work arrays so that a step allocates nothing.
class Trainer {
  public:
    Trainer(const Network& net, Transfer f, double rate);

    /// One step on input x with target o:
    ///   delta_L = (y - o) f'(h_L),  delta_l = (W_{l+1}^T delta_{l+1}) f'(h_l)  (old W_{l+1})
    ///   W_l <- W_l - eta outer(delta_l, x_{l-1}),  b_l <- b_l + eta delta_l
    /// Returns e = 1/2 |y - o|^2 with y from before the update.
    double step(Network& net, std::span<const double> x, std::span<const double> o);

  private:
    Transfer f_;
    double rate_;  ///< eta
    Pass pass_;
    std::vector<double> delta_;
    std::vector<double> back_;
};

/// Trains on every sample in order, one per iteration; returns the error of each iteration.
std::vector<double> train(Network& net, const Transfer& f, double rate, const Samples& samples);

/// What the network answers on one pattern.
struct TruthRow {
    std::vector<double> input;
    std::vector<double> target;
    std::vector<double> output;
    double error = 0.0;  ///< 1/2 |y - o|^2
};

/// One row per pattern of `patterns`.
std::vector<TruthRow> truth_table(const Network& net, const Transfer& f, const Samples& patterns);

/// The four patterns of a gate.
Samples gate_patterns(Task task);
/// The distinct inputs of `samples`, sorted, each with the target of its first row; at most
/// `limit` of them.
Samples distinct_patterns(const Samples& samples, std::size_t limit);

/// max over the patterns of max_k |y_k - o_k|.
double max_pattern_error(const Network& net, const Transfer& f, const Samples& patterns,
                         Pass& pass);

}  // namespace massnet::mlp
