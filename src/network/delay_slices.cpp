#include <massnet/error.hpp>
#include <massnet/network/delay_slices.hpp>
#include <massnet/network/row_order.hpp>

#include <omp.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <mutex>

namespace massnet {
namespace {

// Runs body(i, columns) for every row in [begin, end) with OpenMP; the first exception thrown
// inside the parallel region is rethrown after it.
template <class Body>
void for_each_row(const Neighbours& neighbours, std::int64_t begin, std::int64_t end, Body body) {
    std::exception_ptr failure;
    std::mutex failure_lock;
#pragma omp parallel
    {
        std::vector<std::int32_t> columns;
#pragma omp for schedule(dynamic, 16)
        for (std::int64_t i = begin; i < end; ++i) {
            try {
                neighbours.within(i, columns);
                body(i, columns);
            } catch (...) {
                std::lock_guard<std::mutex> guard(failure_lock);
                if (!failure) failure = std::current_exception();
            }
        }
    }
    if (failure) std::rethrow_exception(failure);
}

// The cutoffs, computing the weight only when a minimum weight asks for it.
bool is_kept(const WeightSettings& weights, double d) {
    return is_connected(weights, d, weights.min_weight > 0 ? coupling_weight(weights, d) : 0.0);
}

}  // namespace

RowSurvey survey_rows(const Positions& positions, const Coupling& coupling,
                      const Neighbours& neighbours, std::int64_t begin, std::int64_t end) {
    RowSurvey survey;
    survey.connections.assign(static_cast<std::size_t>(end - begin), 0);
    std::vector<std::int64_t> lo(survey.connections.size(),
                                 std::numeric_limits<std::int64_t>::max());
    std::vector<std::int64_t> hi(survey.connections.size(), 0);
    for_each_row(neighbours, begin, end,
                 [&](std::int64_t i, const std::vector<std::int32_t>& columns) {
                     std::int64_t count = 0, row_lo = lo[i - begin], row_hi = 0;
                     for (std::int32_t j : columns) {
                         double d = distance(positions[i], positions[j]);
                         if (!is_kept(coupling.weights, d)) continue;
                         std::int64_t delay = delay_samples(coupling, d);
                         row_lo = std::min(row_lo, delay);
                         row_hi = std::max(row_hi, delay);
                         ++count;
                     }
                     survey.connections[i - begin] = count;
                     lo[i - begin] = row_lo;
                     hi[i - begin] = row_hi;
                 });
    survey.min_delay = lo.empty() ? std::numeric_limits<std::int64_t>::max()
                                  : *std::min_element(lo.begin(), lo.end());
    survey.max_delay = hi.empty() ? 0 : *std::max_element(hi.begin(), hi.end());
    if (survey.max_delay > max_supported_delay)
        throw InputError("delays: the longest delay is " + std::to_string(survey.max_delay) +
                         " samples (allowed: up to " + std::to_string(max_supported_delay) +
                         "); check delays.speed, delays.synaptic and simulation.fs");
    return survey;
}

std::int64_t slice_bytes(std::int64_t rows, std::int64_t connections, std::int64_t max_delay,
                         std::int64_t scalar_bytes) {
    return connections * (scalar_bytes + 4) + max_delay * (rows + 1) * 4;
}

template <class Scalar>
std::int64_t DelaySlices<Scalar>::connections() const {
    std::int64_t total = 0;
    for (const auto& s : slices)
        total += s.nonZeros();
    return total;
}

template <class Scalar>
std::int64_t DelaySlices<Scalar>::bytes() const {
    return slice_bytes(rows(), connections(), static_cast<std::int64_t>(slices.size()),
                       sizeof(Scalar));
}

template <class Scalar>
DelaySlices<Scalar> build_slices(const Positions& positions, const Coupling& coupling,
                                 const Neighbours& neighbours, std::int64_t begin, std::int64_t end,
                                 std::int64_t min_delay, std::int64_t max_delay) {
    const std::int64_t rows = end - begin;
    const std::int64_t n = positions.size();
    DelaySlices<Scalar> net;
    net.first_row = begin;
    net.sources = n;
    net.min_delay = min_delay;
    net.max_delay = max_delay;
    net.targets = z_order(positions, begin, end);
    std::vector<std::int32_t> stored_at(net.targets.size());  // target -> stored row
    for (std::size_t r = 0; r < net.targets.size(); ++r)
        stored_at[static_cast<std::size_t>(net.targets[r])] = static_cast<std::int32_t>(r);

    // Pass 1: how many entries each row puts in each slice; counts[k * (rows + 1) + r + 1] for
    // stored row r.
    const std::int64_t stride = rows + 1;
    std::vector<std::int64_t> offsets(static_cast<std::size_t>(max_delay * stride), 0);
    for_each_row(
        neighbours, begin, end, [&](std::int64_t i, const std::vector<std::int32_t>& columns) {
            for (std::int32_t j : columns) {
                double d = distance(positions[i], positions[j]);
                if (!is_kept(coupling.weights, d)) continue;
                ++offsets[(delay_samples(coupling, d) - 1) * stride + stored_at[i - begin] + 1];
            }
        });

    // Allocate each slice in compressed row form, its row offsets from the counts.
    net.slices.resize(static_cast<std::size_t>(max_delay));
    for (std::int64_t k = 0; k < max_delay; ++k) {
        std::int64_t* row_offsets = offsets.data() + k * stride;
        for (std::int64_t i = 0; i < rows; ++i)
            row_offsets[i + 1] += row_offsets[i];
        if (row_offsets[rows] > std::numeric_limits<std::int32_t>::max())
            throw Error("delay slice " + std::to_string(k + 1) + " of this process holds " +
                        std::to_string(row_offsets[rows]) +
                        " connections, more than 32-bit indices allow: run on more processes");
        auto& slice = net.slices[k];
        slice.resize(rows, n);
        slice.resizeNonZeros(row_offsets[rows]);
        for (std::int64_t i = 0; i <= rows; ++i)
            slice.outerIndexPtr()[i] = static_cast<std::int32_t>(row_offsets[i]);
    }

    // Pass 2: each row writes its own entries, columns in increasing order within each slice.
    for_each_row(
        neighbours, begin, end, [&](std::int64_t i, const std::vector<std::int32_t>& columns) {
            const std::int64_t local = stored_at[i - begin];
            for (std::int32_t j : columns) {
                double d = distance(positions[i], positions[j]);
                double w = coupling_weight(coupling.weights, d);
                if (!is_connected(coupling.weights, d, w)) continue;
                std::int64_t k = delay_samples(coupling, d) - 1;
                auto& slice = net.slices[k];
                std::int64_t& next = offsets[k * stride + local];  // row start, advanced as we fill
                slice.innerIndexPtr()[next] = j;
                slice.valuePtr()[next] = static_cast<Scalar>(w);
                ++next;
            }
        });
    // Pass 2 advanced each row's start to its end; restore nothing: the slices hold the offsets.
    return net;
}

template struct DelaySlices<double>;
template struct DelaySlices<float>;
template DelaySlices<double> build_slices(const Positions&, const Coupling&, const Neighbours&,
                                          std::int64_t, std::int64_t, std::int64_t, std::int64_t);
template DelaySlices<float> build_slices(const Positions&, const Coupling&, const Neighbours&,
                                         std::int64_t, std::int64_t, std::int64_t, std::int64_t);

}  // namespace massnet
