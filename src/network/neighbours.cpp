#include <massnet/error.hpp>
#include <massnet/network/geometry.hpp>
#include <massnet/network/neighbours.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace massnet {

Neighbours::Neighbours(const Positions& positions, double radius)
    : positions_(positions), radius_(radius) {
    const std::int64_t n = positions.size();
    if (n > std::numeric_limits<std::int32_t>::max())
        throw InputError("grid.file: " + std::to_string(n) + " sources (allowed: fewer than 2^31)");
    if (!std::isfinite(radius)) return;
    double lo[3], hi[3];
    for (int a = 0; a < 3; ++a)
        lo[a] = hi[a] = positions[0][a];
    for (std::int64_t i = 0; i < n; ++i)
        for (int a = 0; a < 3; ++a) {
            lo[a] = std::min(lo[a], positions[i][a]);
            hi[a] = std::max(hi[a], positions[i][a]);
        }
    // Cells half the radius wide, so that the cells scanned around a source hug its sphere
    // (about a third of the volume of 3 x 3 x 3 cells of the radius), but no more cells than
    // sources, so that sparse grids stay small.
    double extent = std::max({hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2], radius});
    cell_size_ = std::max(radius / 2, extent / std::cbrt(static_cast<double>(n) + 1.0));
    reach_ = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(radius / cell_size_)));
    std::int64_t total = 1;
    for (int a = 0; a < 3; ++a) {
        origin_[a] = lo[a];
        cells_[a] = static_cast<std::int64_t>((hi[a] - lo[a]) / cell_size_) + 1;
        total *= cells_[a];
    }
    cell_of_.resize(static_cast<std::size_t>(n));
    cell_start_.assign(static_cast<std::size_t>(total) + 1, 0);
    for (std::int64_t i = 0; i < n; ++i) {
        std::int64_t c[3];
        for (int a = 0; a < 3; ++a)
            c[a] = std::min(cells_[a] - 1,
                            static_cast<std::int64_t>((positions[i][a] - origin_[a]) / cell_size_));
        cell_of_[i] = (c[0] * cells_[1] + c[1]) * cells_[2] + c[2];
        ++cell_start_[cell_of_[i] + 1];
    }
    for (std::int64_t c = 0; c < total; ++c)
        cell_start_[c + 1] += cell_start_[c];
    members_.resize(static_cast<std::size_t>(n));
    std::vector<std::int64_t> fill(cell_start_.begin(), cell_start_.end() - 1);
    for (std::int64_t i = 0; i < n; ++i)
        members_[fill[cell_of_[i]]++] = static_cast<std::int32_t>(i);
}

namespace {

// Sources found for one row, marked in a bit per source and read back in increasing order:
// cheaper than sorting them, as the cells are visited in cell order, not source order.
class SourceMarks {
  public:
    void reset(std::int64_t n) {
        if (static_cast<std::int64_t>(words_.size()) * 64 < n)
            words_.assign(static_cast<std::size_t>((n + 63) / 64), 0);
        first_ = std::numeric_limits<std::int64_t>::max();
        last_ = -1;
    }
    void mark(std::int32_t j) {
        const std::int64_t w = j / 64;
        words_[w] |= std::uint64_t{1} << (j % 64);
        first_ = std::min(first_, w);
        last_ = std::max(last_, w);
    }
    /// Appends the marked sources in increasing order and clears the marks.
    void take(std::vector<std::int32_t>& out) {
        for (std::int64_t w = first_; w <= last_; ++w) {
            for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
                out.push_back(static_cast<std::int32_t>(w * 64 + __builtin_ctzll(bits)));
            words_[w] = 0;
        }
    }

  private:
    std::vector<std::uint64_t> words_;
    std::int64_t first_ = 0, last_ = -1;
};

}  // namespace

void Neighbours::within(std::int64_t i, std::vector<std::int32_t>& out) const {
    out.clear();
    const std::int64_t n = positions_.size();
    if (all_pairs()) {
        out.resize(static_cast<std::size_t>(n));
        for (std::int64_t j = 0; j < n; ++j)
            out[j] = static_cast<std::int32_t>(j);
        return;
    }
    // Whether |p_i - p_j| <= radius is decided by distance(), exactly as the slices compute it;
    // the squared distance only settles the pairs clearly inside or outside first.
    const double* p = positions_[i];
    const double r2 = radius_ * radius_;
    const bool squares_usable = r2 > 1e-200;
    const double inside = squares_usable ? r2 * (1 - 1e-9) : -1.0;
    const double outside = squares_usable ? r2 * (1 + 1e-9) : std::numeric_limits<double>::max();
    // A cell is skipped when even its nearest corner lies outside; boxes padded against rounding.
    const double pad = cell_size_ * 1e-9;

    thread_local SourceMarks marks;
    marks.reset(n);
    const std::int64_t cell = cell_of_[i];
    const std::int64_t c[3] = {cell / (cells_[1] * cells_[2]), (cell / cells_[2]) % cells_[1],
                               cell % cells_[2]};
    std::int64_t first[3], last[3];
    for (int a = 0; a < 3; ++a) {
        first[a] = std::max<std::int64_t>(0, c[a] - reach_);
        last[a] = std::min(cells_[a] - 1, c[a] + reach_);
    }
    // Squared distance from p to the slab of cells x along axis a.
    auto gap2 = [&](int a, std::int64_t x) {
        const double lo = origin_[a] + static_cast<double>(x) * cell_size_ - pad;
        const double hi = origin_[a] + static_cast<double>(x + 1) * cell_size_ + pad;
        const double g = p[a] < lo ? lo - p[a] : p[a] > hi ? p[a] - hi : 0.0;
        return g * g;
    };
    for (std::int64_t x = first[0]; x <= last[0]; ++x) {
        const double gx = gap2(0, x);
        if (gx > outside) continue;
        for (std::int64_t y = first[1]; y <= last[1]; ++y) {
            const double gxy = gx + gap2(1, y);
            if (gxy > outside) continue;
            for (std::int64_t z = first[2]; z <= last[2]; ++z) {
                if (gxy + gap2(2, z) > outside) continue;
                const std::int64_t other = (x * cells_[1] + y) * cells_[2] + z;
                for (std::int64_t m = cell_start_[other]; m < cell_start_[other + 1]; ++m) {
                    const std::int32_t j = members_[m];
                    const double* q = positions_[j];
                    const double dx = p[0] - q[0], dy = p[1] - q[1], dz = p[2] - q[2];
                    const double s = dx * dx + dy * dy + dz * dz;
                    if (s > outside) continue;
                    if (s < inside || distance(p, q) <= radius_) marks.mark(j);
                }
            }
        }
    }
    marks.take(out);
}

}  // namespace massnet
