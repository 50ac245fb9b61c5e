#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/network.hpp>
#include <massnet/mlp/study.hpp>
#include <massnet/mlp/training.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

namespace massnet::mlp {
namespace {

constexpr double z95 = 1.959963984540054;  // the 97.5 % point of N(0, 1)

std::vector<std::int64_t> int64s(const std::vector<std::size_t>& values) {
    return {values.begin(), values.end()};
}

void write_architecture(hid_t file, const ArchitectureStudy& a) {
    io::Handle group = io::create_group(file, sizes_name(a.sizes));
    hid_t g = group.id();
    Interval ci = a.interval();
    io::write_attribute(g, "converged_fraction", a.converged_fraction());
    io::write_attribute(g, "ci_low", ci.low);
    io::write_attribute(g, "ci_high", ci.high);
    io::write_attribute(g, "converged", a.converged());
    io::write_attribute(g, "median_iterations", a.median_iterations());
    io::write_attribute(g, "layers", int64s(a.sizes));

    hsize_t n = a.trials.size();
    std::vector<std::int64_t> converged, iterations;
    for (const auto& t : a.trials) {
        converged.push_back(t.converged ? 1 : 0);
        iterations.push_back(t.iterations_to_converge);
    }
    io::write_doubles(g, "final_error", a.final_errors(), {n});
    io::write_int64s(g, "converged", converged, {n});
    io::write_int64s(g, "iterations_to_converge", iterations, {n});
}

}  // namespace

Interval wilson_interval(std::int64_t successes, std::int64_t trials) {
    if (trials <= 0) return {0.0, 1.0};
    double n = static_cast<double>(trials);
    double p = static_cast<double>(successes) / n;
    double z2 = z95 * z95;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double quantile(std::vector<double> values, double q) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    double at = q * static_cast<double>(values.size() - 1);
    auto below = static_cast<std::size_t>(std::floor(at));
    std::size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (at - static_cast<double>(below)) * (values[above] - values[below]);
}

double median(const std::vector<double>& values) {
    return quantile(values, 0.5);
}

std::int64_t ArchitectureStudy::converged() const {
    return std::count_if(trials.begin(), trials.end(), [](const auto& t) { return t.converged; });
}

double ArchitectureStudy::converged_fraction() const {
    return trials.empty() ? 0.0
                          : static_cast<double>(converged()) / static_cast<double>(trials.size());
}

Interval ArchitectureStudy::interval() const {
    return wilson_interval(converged(), static_cast<std::int64_t>(trials.size()));
}

double ArchitectureStudy::median_iterations() const {
    std::vector<double> iterations;
    for (const auto& t : trials)
        if (t.converged) iterations.push_back(static_cast<double>(t.iterations_to_converge));
    return median(iterations);
}

std::vector<double> ArchitectureStudy::final_errors() const {
    std::vector<double> errors;
    for (const auto& t : trials)
        errors.push_back(t.final_error);
    return errors;
}

TrialOutcome run_trial(const StudySettings& s, std::size_t architecture, std::int64_t trial) {
    Rng rng = stream_rng(s.seed, architecture, static_cast<std::uint64_t>(trial));
    Network net = random_network(s.architectures[architecture], rng);
    Trainer trainer(net, s.transfer, s.rate);
    Samples patterns = gate_patterns(Task::xor_gate);
    Pass pass;
    std::int64_t first_met = -1;
    for (std::int64_t n = 1; n <= s.iterations; ++n) {
        Pattern p = draw_pattern(Task::xor_gate, rng);
        trainer.step(net, p.x, {&p.target, 1});
        // Every check_every iterations: have all four patterns met the tolerance yet?
        if (first_met < 0 && n % s.check_every == 0 &&
            max_pattern_error(net, s.transfer, patterns, pass) < s.tolerance)
            first_met = n;
    }
    TrialOutcome outcome;
    outcome.final_error = max_pattern_error(net, s.transfer, patterns, pass);
    outcome.converged = outcome.final_error < s.tolerance;
    if (outcome.converged)
        outcome.iterations_to_converge = first_met < 0 ? s.iterations : first_met;
    return outcome;
}

std::vector<ArchitectureStudy> run_study(const StudySettings& s) {
    std::vector<ArchitectureStudy> study;
    for (std::size_t a = 0; a < s.architectures.size(); ++a) {
        ArchitectureStudy arch{s.architectures[a], std::vector<TrialOutcome>(s.trials)};
        std::exception_ptr failure;
        // Each trial writes only its own slot, from its own generator: any thread count, one
        // result.
#pragma omp parallel for schedule(dynamic, 4)
        for (std::int64_t t = 0; t < s.trials; ++t) {
            try {
                arch.trials[t] = run_trial(s, a, t);
            } catch (...) {
#pragma omp critical(massnet_study_failure)
                if (!failure) failure = std::current_exception();
            }
        }
        if (failure) std::rethrow_exception(failure);
        study.push_back(std::move(arch));
    }
    return study;
}

void write_study(hid_t file, const StudySettings& s, const std::vector<ArchitectureStudy>& study) {
    io::write_attribute(file, "trials", s.trials);
    io::write_attribute(file, "iterations", s.iterations);
    io::write_attribute(file, "rate", s.rate);
    io::write_attribute(file, "seed", static_cast<std::int64_t>(s.seed));
    io::write_attribute(file, "tolerance", s.tolerance);
    io::write_attribute(file, "check_every", s.check_every);
    io::write_attribute(file, "transfer", name_of(s.transfer.kind));
    io::write_attribute(file, "slope", s.transfer.slope);
    for (const auto& a : study)
        write_architecture(file, a);
}

}  // namespace massnet::mlp
