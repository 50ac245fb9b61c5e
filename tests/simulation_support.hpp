#pragma once
// Running the golden networks through the library, on one rank or on all ranks of a Comm.
#include <massnet/config/settings.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/parallel/comm.hpp>
#include <massnet/simulation/simulation.hpp>

#include <optional>
#include <string>
#include <vector>

namespace test {

struct GoldenRun {
    massnet::Settings settings;           ///< grid and initial history from the golden file
    massnet::io::Array<double> activity;  ///< the golden activity, steps x N
};

/// Settings that reproduce a golden file of the neural mass model.
GoldenRun golden_run(const std::string& name);

/// Simulates `settings` through the library on every rank of `comm` and returns the whole
/// activity (steps x N) on every rank.
std::vector<double> simulate(const massnet::Settings& settings, const massnet::Comm& comm,
                             std::optional<massnet::StepPlan> plan = std::nullopt);

}  // namespace test
