#pragma once
// The step loop: advances this rank's rows of the network, one pass over the delay slices per
// block of steps, and exchanges new activity with the other ranks every d_min steps.
#include <massnet/config/settings.hpp>
#include <massnet/network/delay_slices.hpp>
#include <massnet/parallel/exchange.hpp>
#include <massnet/simulation/external_input.hpp>
#include <massnet/simulation/ring_buffer.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace massnet {

/// How the steps are grouped; it depends only on the delays, never on ranks or threads, so the
/// order of every sum (and hence every bit of the result) is fixed by the model alone.
struct StepPlan {
    std::int64_t block = 1;  ///< B: steps whose far contributions one pass over the slices computes
    std::int64_t exchange = 1;  ///< E: steps between exchanges, a power of two up to d_min and B
    /// Slices k >= far_slice (delay >= B, always B - 1) are far: read once per block, for all B
    /// steps at once. The nearer ones are read in tiers of narrower windows, down to E steps.
    std::int64_t far_slice = 0;
};

/// The largest block the stepper has a kernel for.
inline constexpr std::int64_t max_block = 32;

/// B = the largest power of two up to `block_limit` (at most max_block) and T / 2; E = the
/// largest power of two up to d_min and B.
StepPlan plan_steps(std::int64_t min_delay, std::int64_t max_delay, std::int64_t block_limit = 16);

/// Told of new activity; the simulation calls it on the master thread of every rank at the same
/// steps, so it may call collectives.
class StepObserver {
  public:
    virtual ~StepObserver() = default;
    /// `own` holds `count` steps from `first_step` on of this rank's rows (count x rows).
    virtual void on_activity(std::int64_t first_step, std::int64_t count, const double* own) = 0;
    /// Asked at each block boundary; true stops the run there (the same answer on every rank).
    virtual bool stop_at(std::int64_t /*step*/) { return false; }
};

/// Wall-clock seconds spent in each phase on this rank.
struct StepTimings {
    double compute = 0;
    double exchange = 0;
    double observe = 0;
};

template <class Scalar>
class Simulation {
  public:
    /// `history` must hold every source's last T steps before `first_step`.
    Simulation(const DelaySlices<Scalar>& network, const TransferSettings& transfer,
               RingBuffer history, ActivityExchange& exchange, std::int64_t first_step = 0,
               std::optional<StepPlan> plan = std::nullopt);

    /// Advances until step `until` (exclusive) or until the observer stops it at a block
    /// boundary; returns the next step to compute.
    std::int64_t run(std::int64_t until, StepObserver& observer);

    /// Adds the drive and the noise to h from now on; `input` must outlive the simulation.
    void set_input(const ExternalInput& input) { input_ = input.active() ? &input : nullptr; }

    std::int64_t step() const { return step_; }
    const RingBuffer& history() const { return history_; }
    const StepPlan& plan() const { return plan_; }
    const StepTimings& timings() const { return timings_; }
    int threads() const { return static_cast<int>(thread_rows_.size()) - 1; }

  private:
    void run_block(std::int64_t count, StepObserver& observer);
    void accumulate_far(std::int64_t row_begin, std::int64_t row_end);
    void accumulate_near(std::int64_t row_begin, std::int64_t row_end, std::int64_t first);
    void finish_step(std::int64_t row_begin, std::int64_t row_end, std::int64_t b, double* own);

    const DelaySlices<Scalar>& network_;
    TransferSettings transfer_;
    RingBuffer history_;
    ActivityExchange& exchange_;
    std::int64_t step_;
    StepPlan plan_;
    std::vector<std::int64_t> thread_rows_;  // rows of each thread, balanced by connections
    std::vector<double> sums_;               // h of the block: rows x B
    std::vector<double> own_;                // new activity of the current exchange interval
    std::vector<std::int32_t> by_target_;    // each thread's stored rows in target order
    StepTimings timings_;
    const ExternalInput* input_ = nullptr;
};

}  // namespace massnet
