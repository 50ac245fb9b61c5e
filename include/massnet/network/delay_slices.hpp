#pragma once
// The delay tensor as one sparse matrix per delay: slice k holds W0_ij for the pairs whose delay
// is k + 1 samples, for this process's block of target rows only. The rows are stored in the
// order of row_order.hpp, the same in every slice; `targets` says which target each one is.
#include <massnet/grid/grid.hpp>
#include <massnet/network/geometry.hpp>
#include <massnet/network/neighbours.hpp>

#include <Eigen/SparseCore>

#include <cstdint>
#include <vector>

namespace massnet {

/// The longest delay massnet accepts [samples]: the history holds T steps of every source.
inline constexpr std::int64_t max_supported_delay = 10'000'000;

/// What a pass over some target rows finds before anything is allocated.
struct RowSurvey {
    std::vector<std::int64_t> connections;  ///< kept connections of each surveyed row
    std::int64_t min_delay = 0;             ///< over the surveyed rows' connections [samples]
    std::int64_t max_delay = 0;
};

/// Counts the connections and the delay range of rows [begin, end). OpenMP inside.
RowSurvey survey_rows(const Positions& positions, const Coupling& coupling,
                      const Neighbours& neighbours, std::int64_t begin, std::int64_t end);

template <class Scalar>
struct DelaySlices {
    using Slice = Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int32_t>;

    std::int64_t first_row = 0;  ///< global index of local row 0
    std::int64_t sources = 0;    ///< N, the number of columns
    std::int64_t min_delay = 1;  ///< d_min over the whole network [samples]
    std::int64_t max_delay = 1;  ///< T over the whole network [samples]
    std::vector<Slice> slices;   ///< slices[k]: delay k + 1; max_delay of them
    /// targets[r]: the local target (global first_row + targets[r]) of stored row r.
    std::vector<std::int32_t> targets;

    std::int64_t rows() const { return slices.empty() ? 0 : slices.front().rows(); }
    std::int64_t connections() const;
    /// Bytes held: values, column indices and row offsets of every slice.
    std::int64_t bytes() const;
};

/// Bytes that slices of `rows` rows and `connections` entries over `max_delay` delays will hold.
std::int64_t slice_bytes(std::int64_t rows, std::int64_t connections, std::int64_t max_delay,
                         std::int64_t scalar_bytes);

/// Builds the slices of rows [begin, end) row by row, never holding a dense matrix. `min_delay`
/// and `max_delay` are the whole network's (from survey_rows over every row).
template <class Scalar>
DelaySlices<Scalar> build_slices(const Positions& positions, const Coupling& coupling,
                                 const Neighbours& neighbours, std::int64_t begin, std::int64_t end,
                                 std::int64_t min_delay, std::int64_t max_delay);

}  // namespace massnet
