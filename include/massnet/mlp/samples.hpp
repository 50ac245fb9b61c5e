#pragma once
// Training data: the logic gates drawn at random, or samples from a file, one row per iteration.
#include <massnet/mlp/random.hpp>

#include <hdf5.h>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace massnet::mlp {

enum class Task { and_gate, or_gate, xor_gate };

/// "and", "or" or "xor"; nothing for any other name.
std::optional<Task> task_named(const std::string& name);
std::string name_of(Task task);

/// The gate's output for inputs in {0, 1}.
double target_of(Task task, double x0, double x1);

/// The four inputs of a gate, (0, 0), (0, 1), (1, 0), (1, 1).
const std::array<std::array<double, 2>, 4>& gate_inputs();

/// One random pattern of the task: x uniform on {0, 1}^2 and its target.
struct Pattern {
    std::array<double, 2> x;
    double target;
};
Pattern draw_pattern(Task task, Rng& rng);

struct Samples {
    std::size_t width = 0;         ///< values per input
    std::size_t target_width = 0;  ///< values per target
    std::vector<double> inputs;    ///< count x width, row-major
    std::vector<double> targets;   ///< count x target_width, row-major

    std::size_t count() const { return width ? inputs.size() / width : 0; }
    std::span<const double> input(std::size_t n) const { return {&inputs[n * width], width}; }
    std::span<const double> target(std::size_t n) const {
        return {&targets[n * target_width], target_width};
    }
    /// The first `count` rows.
    Samples first(std::size_t count) const;
};

/// `count` patterns of the task, one after the other from `rng`.
Samples draw_samples(Task task, std::size_t count, Rng& rng);

/// Reads `inputs` (n x k) and `targets` ((n,) or (n x m)); InputErrors name `what`.
Samples read_samples(hid_t file, const std::string& what);
/// Writes `inputs` (n x k) and `targets`, (n,) when `flat_targets`, else (n x m).
void write_samples(hid_t file, const Samples& samples, bool flat_targets);

}  // namespace massnet::mlp
