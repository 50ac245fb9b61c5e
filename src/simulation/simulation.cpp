#include <massnet/error.hpp>
#include <massnet/network/partition.hpp>
#include <massnet/simulation/simulation.hpp>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>

namespace massnet {
namespace {

// For b = 0 .. W-1, into sums[i * sums_stride + b]:
//     h(n + b) += sum over k in [first_slice, last_slice), j:  W_k[i, j] x_j(n + b - k - 1)
// Every k is at least W - 1, so all the history it reads lies before step n. One pass reads each
// weight once (4 + sizeof(Scalar) bytes) for W steps; the W history values of a source lie
// contiguous in the ring buffer, so the inner loop is a vector update.
template <int W, class Scalar>
void delayed_sums(const DelaySlices<Scalar>& net, const RingBuffer& ring, std::int64_t n,
                  std::int64_t first_slice, std::int64_t last_slice, std::int64_t row_begin,
                  std::int64_t row_end, double* sums, std::int64_t sums_stride) {
    const std::int64_t stride = ring.stride();
    for (std::int64_t k = first_slice; k < last_slice; ++k) {
        const auto& slice = net.slices[k];
        const std::int32_t* outer = slice.outerIndexPtr();
        const std::int32_t* column = slice.innerIndexPtr();
        const Scalar* weight = slice.valuePtr();
        const double* past = ring.data() + ring.slot(n - (k + 1));
        for (std::int64_t i = row_begin; i < row_end; ++i) {
            std::int32_t p = outer[i];
            const std::int32_t end = outer[i + 1];
            if (p == end) continue;
            double h[W];
            double* row_sums = sums + i * sums_stride;
            for (int b = 0; b < W; ++b)
                h[b] = row_sums[b];
            for (; p < end; ++p) {
                const double* x = past + static_cast<std::int64_t>(column[p]) * stride;
                const double w = static_cast<double>(weight[p]);
                for (int b = 0; b < W; ++b)
                    h[b] += w * x[b];
            }
            for (int b = 0; b < W; ++b)
                row_sums[b] = h[b];
        }
    }
}

template <class Scalar>
using SumKernel = void (*)(const DelaySlices<Scalar>&, const RingBuffer&, std::int64_t,
                           std::int64_t, std::int64_t, std::int64_t, std::int64_t, double*,
                           std::int64_t);

template <class Scalar>
SumKernel<Scalar> kernel_for(std::int64_t window) {
    switch (window) {
        case 1:
            return delayed_sums<1, Scalar>;
        case 2:
            return delayed_sums<2, Scalar>;
        case 4:
            return delayed_sums<4, Scalar>;
        case 8:
            return delayed_sums<8, Scalar>;
        case 16:
            return delayed_sums<16, Scalar>;
        case 32:
            return delayed_sums<32, Scalar>;
        default:
            throw Error("no kernel for a window of " + std::to_string(window) + " steps");
    }
}

bool power_of_two(std::int64_t x) {
    return x > 0 && (x & (x - 1)) == 0;
}

// Rows of each of `threads` threads, balanced by the connections they hold.
template <class Scalar>
std::vector<std::int64_t> rows_per_thread(const DelaySlices<Scalar>& net, int threads) {
    std::vector<std::int64_t> work(static_cast<std::size_t>(net.rows()), 1);
    for (const auto& slice : net.slices)
        for (std::int64_t i = 0; i < net.rows(); ++i)
            work[i] += slice.outerIndexPtr()[i + 1] - slice.outerIndexPtr()[i];
    return partition_rows(work, threads);
}

double now() {
    return omp_get_wtime();
}

}  // namespace

StepPlan plan_steps(std::int64_t min_delay, std::int64_t max_delay, std::int64_t block_limit) {
    StepPlan plan;
    const std::int64_t limit = std::min(block_limit, max_block);
    while (plan.block * 2 <= limit && plan.block * 2 <= max_delay / 2)
        plan.block *= 2;
    while (plan.exchange * 2 <= std::min(min_delay, plan.block))
        plan.exchange *= 2;
    plan.far_slice = plan.block - 1;
    return plan;
}

template <class Scalar>
Simulation<Scalar>::Simulation(const DelaySlices<Scalar>& network, const TransferSettings& transfer,
                               RingBuffer history, ActivityExchange& exchange,
                               std::int64_t first_step, std::optional<StepPlan> plan)
    : network_(network),
      transfer_(transfer),
      history_(std::move(history)),
      exchange_(exchange),
      step_(first_step),
      plan_(plan ? *plan : plan_steps(network.min_delay, network.max_delay)) {
    if (history_.length() != network.max_delay || history_.sources() != network.sources)
        throw Error("history of " + std::to_string(history_.sources()) + " x " +
                    std::to_string(history_.length()) + " does not fit a network of " +
                    std::to_string(network.sources) +
                    " sources and T = " + std::to_string(network.max_delay));
    if (!power_of_two(plan_.block) || plan_.block > max_block || !power_of_two(plan_.exchange) ||
        plan_.exchange > plan_.block || plan_.exchange > network.min_delay ||
        plan_.far_slice != plan_.block - 1 || 2 * plan_.block > network.max_delay + 1)
        throw Error("step plan of blocks of " + std::to_string(plan_.block) + ", exchange every " +
                    std::to_string(plan_.exchange) +
                    " does not fit d_min = " + std::to_string(network.min_delay) +
                    ", T = " + std::to_string(network.max_delay));
    if (static_cast<std::int64_t>(network.targets.size()) != network.rows())
        throw Error("the network stores " + std::to_string(network.rows()) + " rows but names " +
                    std::to_string(network.targets.size()) + " targets");
    thread_rows_ = rows_per_thread(network, omp_get_max_threads());
    sums_.assign(static_cast<std::size_t>(network.rows() * plan_.block), 0.0);
    own_.assign(static_cast<std::size_t>(network.rows() * plan_.exchange), 0.0);
    by_target_.resize(static_cast<std::size_t>(network.rows()));
    std::iota(by_target_.begin(), by_target_.end(), 0);
    for (std::size_t t = 0; t + 1 < thread_rows_.size(); ++t)
        std::sort(by_target_.begin() + thread_rows_[t], by_target_.begin() + thread_rows_[t + 1],
                  [&](std::int32_t a, std::int32_t b) {
                      return network.targets[a] < network.targets[b];
                  });
}

template <class Scalar>
std::int64_t Simulation<Scalar>::run(std::int64_t until, StepObserver& observer) {
    while (step_ < until) {
        run_block(std::min(plan_.block, until - step_), observer);
        if (step_ < until && observer.stop_at(step_)) break;
    }
    return step_;
}

template <class Scalar>
void Simulation<Scalar>::accumulate_far(std::int64_t row_begin, std::int64_t row_end) {
    std::fill(sums_.begin() + row_begin * plan_.block, sums_.begin() + row_end * plan_.block, 0.0);
    const auto slices = static_cast<std::int64_t>(network_.slices.size());
    kernel_for<Scalar>(plan_.block)(network_, history_, step_, plan_.far_slice, slices, row_begin,
                                    row_end, sums_.data(), plan_.block);
}

// The slices with delays under B, by tiers: tier w (w = B/2, B/4, .. down to the exchange
// interval E) holds delays w .. 2w-1 and adds w steps at once, from each multiple of w in the
// block. A tier's delays are at least its width, so at step n + first it needs the history only
// up to step n + first - 1, which the last exchange completed. Each step gets one pass of every
// tier, widest first, so the order of its sum is fixed by the plan alone.
template <class Scalar>
void Simulation<Scalar>::accumulate_near(std::int64_t row_begin, std::int64_t row_end,
                                         std::int64_t first) {
    const auto slices = static_cast<std::int64_t>(network_.slices.size());
    for (std::int64_t w = plan_.block / 2; w >= plan_.exchange; w /= 2) {
        if (first % w != 0) continue;
        const std::int64_t begin = std::max(w - 1, network_.min_delay - 1);
        const std::int64_t end = std::min(2 * w - 1, slices);
        if (begin >= end) continue;
        kernel_for<Scalar>(w)(network_, history_, step_ + first, begin, end, row_begin, row_end,
                              sums_.data() + first, plan_.block);
    }
}

// Step n + b of stored rows [row_begin, row_end): y = f(h), written to the history. The rows are
// visited in the order of their targets, so the history and `own` are written front to back.
template <class Scalar>
void Simulation<Scalar>::finish_step(std::int64_t row_begin, std::int64_t row_end, std::int64_t b,
                                     double* own) {
    const std::int64_t n = step_ + b;
    const std::int64_t first_row = network_.first_row;
    for (std::int64_t k = row_begin; k < row_end; ++k) {
        const std::int64_t r = by_target_[k];
        const std::int64_t i = network_.targets[r];
        double h = sums_[r * plan_.block + b];
        if (input_) h += input_->at(first_row + i, n);  // + I_i(n) + sigma xi_i(n)
        // y = f(h) = 1 / (1 + exp(-a (h - theta)))
        const double y = 1.0 / (1.0 + std::exp(-transfer_.slope * (h - transfer_.threshold)));
        history_.set(first_row + i, n, y);
        own[i] = y;
    }
}

template <class Scalar>
void Simulation<Scalar>::run_block(std::int64_t count, StepObserver& observer) {
    const std::int64_t rows = network_.rows();
    const int threads = static_cast<int>(thread_rows_.size()) - 1;
    std::exception_ptr failure;
    double block_start = now();
    double exchange_time = 0, observe_time = 0;

#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num();
        const std::int64_t row_begin = thread_rows_[t], row_end = thread_rows_[t + 1];
        accumulate_far(row_begin, row_end);
        // The block's new steps overwrite the oldest slots, which other threads' far passes read.
#pragma omp barrier
        for (std::int64_t first = 0; first < count; first += plan_.exchange) {
            const std::int64_t steps = std::min(plan_.exchange, count - first);
            accumulate_near(row_begin, row_end, first);
            for (std::int64_t b = first; b < first + steps; ++b)
                finish_step(row_begin, row_end, b, own_.data() + (b - first) * rows);
#pragma omp barrier
#pragma omp master
            {
                if (!failure) {
                    try {
                        double t0 = now();
                        exchange_.share(own_.data(), step_ + first, steps, history_);
                        double t1 = now();
                        observer.on_activity(step_ + first, steps, own_.data());
                        exchange_time += t1 - t0;
                        observe_time += now() - t1;
                    } catch (...) {
                        failure = std::current_exception();
                    }
                }
            }
#pragma omp barrier
        }
    }
    if (failure) std::rethrow_exception(failure);
    timings_.exchange += exchange_time;
    timings_.observe += observe_time;
    timings_.compute += now() - block_start - exchange_time - observe_time;
    step_ += count;
}

template class Simulation<double>;
template class Simulation<float>;

}  // namespace massnet
