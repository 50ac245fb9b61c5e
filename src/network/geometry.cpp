// Compiled without fused multiply-adds (see CMakeLists.txt), so that distances and delays round
// exactly as the NumPy reference's do.
#include <massnet/network/geometry.hpp>

#include <algorithm>
#include <cmath>

namespace massnet {

double distance(const double* p, const double* q) {
    double dx = p[0] - q[0];
    double dy = p[1] - q[1];
    double dz = p[2] - q[2];
    return std::sqrt(dx * dx + dy * dy + dz * dz);
}

double coupling_weight(const WeightSettings& weights, double distance) {
    double w = 0.0;
    for (std::size_t k = 0; k < weights.amplitudes.size(); ++k)
        w += weights.amplitudes[k] * std::exp(-weights.decays[k] * distance);
    return w;
}

std::int64_t delay_samples(const Coupling& coupling, double distance) {
    double samples = (distance / coupling.delays.speed + coupling.delays.synaptic) * coupling.fs;
    double rounded = 0;
    switch (coupling.delays.rounding) {
        case Rounding::nearest:
            rounded = std::floor(samples + 0.5);
            break;
        case Rounding::floor:
            rounded = std::floor(samples);
            break;
        case Rounding::ceil:
            rounded = std::ceil(samples);
            break;
    }
    // Clamp before converting; the network refuses delays this long with a message.
    rounded = std::min(rounded, 1e15);
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(rounded));
}

}  // namespace massnet
