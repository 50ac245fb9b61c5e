#pragma once
// The pairwise quantities of MODEL.md section 1: distance, coupling weight and delay in samples.
#include <massnet/config/settings.hpp>

#include <cstdint>

namespace massnet {

/// What turns positions into connections: the kernel, the delays and the sampling rate.
struct Coupling {
    WeightSettings weights;
    DelaySettings delays;
    double fs = 1000.0;  // [Hz]
};

/// D = |p - q| [m], summed in the reference's order so delays round identically.
double distance(const double* p, const double* q);

/// W0 = sum_k a_k exp(-b_k D).
double coupling_weight(const WeightSettings& weights, double distance);

/// d = max(1, round(tau fs)) with tau = D / c + t0 and the chosen rounding rule [samples].
std::int64_t delay_samples(const Coupling& coupling, double distance);

/// Whether a pair at `distance` with weight `weight` is connected under the cutoffs.
inline bool is_connected(const WeightSettings& w, double distance, double weight) {
    return distance <= w.max_distance && !(weight < w.min_weight && -weight < w.min_weight);
}

}  // namespace massnet
