#pragma once
// The activity before step 0: read from the user's file or drawn uniform on [0, 1).
#include <massnet/config/settings.hpp>

#include <cstdint>
#include <vector>

namespace massnet {

/// The N x T history (row-major; column k is step -1 - k). From `simulation.initial` (.npy, or
/// .h5 dataset `initial_history`) when set, else uniform on [0, 1) from `simulation.seed`,
/// each value a function of (seed, source, k) alone. A file of the wrong shape or holding NaN or
/// infinity is an InputError naming simulation.initial.
std::vector<double> initial_history(const SimulationSettings& settings, std::int64_t sources,
                                    std::int64_t max_delay);

}  // namespace massnet
