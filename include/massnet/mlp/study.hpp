#pragma once
// "Does XOR always converge?" Many networks of each architecture, each from its own random
// initial weights and training patterns, trained on XOR; counted and summarised.
#include <massnet/mlp/transfer.hpp>

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace massnet::mlp {

struct StudySettings {
    std::vector<std::vector<std::size_t>> architectures;  ///< sizes, n_0 first, each 2 - .. - 1
    std::int64_t trials = 1000;
    std::int64_t iterations = 10000;
    double rate = 1.0;  ///< eta
    std::uint64_t seed = 1;
    double tolerance = 0.1;          ///< converged: |y - o| below this on all four patterns
    std::int64_t check_every = 100;  ///< iterations between the checks of the four patterns
    Transfer transfer;
};

/// The end of one trial.
struct TrialOutcome {
    double final_error = 0.0;  ///< max over the four patterns of |y - o| after training
    bool converged = false;    ///< final_error < tolerance
    /// The first check at which all four patterns met the tolerance; -1 when not converged.
    std::int64_t iterations_to_converge = -1;
};

/// A 95 % Wilson score interval of a binomial fraction.
struct Interval {
    double low = 0.0;
    double high = 0.0;
};
Interval wilson_interval(std::int64_t successes, std::int64_t trials);

/// The q-quantile (0 <= q <= 1) by linear interpolation between the sorted values.
double quantile(std::vector<double> values, double q);
/// The median; NaN for no values.
double median(const std::vector<double>& values);

struct ArchitectureStudy {
    std::vector<std::size_t> sizes;
    std::vector<TrialOutcome> trials;

    std::int64_t converged() const;
    double converged_fraction() const;
    Interval interval() const;
    /// The median of iterations_to_converge over the converged trials; NaN when none converged.
    double median_iterations() const;
    std::vector<double> final_errors() const;
};

/// One trial: the network and its patterns come from the stream (seed, architecture, trial).
TrialOutcome run_trial(const StudySettings& s, std::size_t architecture, std::int64_t trial);

/// Every trial of every architecture, in parallel over the trials (OpenMP). The result does not
/// depend on the number of threads.
std::vector<ArchitectureStudy> run_study(const StudySettings& s);

/// Root attributes of the settings; one group per architecture (named like "2-3-1") with the
/// summary as attributes and `final_error`, `converged`, `iterations_to_converge` per trial.
void write_study(hid_t file, const StudySettings& s, const std::vector<ArchitectureStudy>& study);

}  // namespace massnet::mlp
