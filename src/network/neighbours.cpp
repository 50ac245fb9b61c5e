#include <massnet/error.hpp>
#include <massnet/network/geometry.hpp>
#include <massnet/network/neighbours.hpp>

#include <algorithm>
#include <cmath>

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
    // Cells at least `radius` wide, but no more of them than sources, so sparse grids stay small.
    double extent = std::max({hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2], radius});
    cell_size_ = std::max(radius, extent / std::cbrt(static_cast<double>(n) + 1.0));
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

void Neighbours::within(std::int64_t i, std::vector<std::int32_t>& out) const {
    out.clear();
    const std::int64_t n = positions_.size();
    if (all_pairs()) {
        out.resize(static_cast<std::size_t>(n));
        for (std::int64_t j = 0; j < n; ++j)
            out[j] = static_cast<std::int32_t>(j);
        return;
    }
    std::int64_t cell = cell_of_[i];
    std::int64_t c[3] = {cell / (cells_[1] * cells_[2]), (cell / cells_[2]) % cells_[1],
                         cell % cells_[2]};
    for (std::int64_t x = std::max<std::int64_t>(0, c[0] - 1);
         x <= std::min(cells_[0] - 1, c[0] + 1); ++x)
        for (std::int64_t y = std::max<std::int64_t>(0, c[1] - 1);
             y <= std::min(cells_[1] - 1, c[1] + 1); ++y)
            for (std::int64_t z = std::max<std::int64_t>(0, c[2] - 1);
                 z <= std::min(cells_[2] - 1, c[2] + 1); ++z) {
                std::int64_t other = (x * cells_[1] + y) * cells_[2] + z;
                for (std::int64_t m = cell_start_[other]; m < cell_start_[other + 1]; ++m) {
                    std::int32_t j = members_[m];
                    if (distance(positions_[i], positions_[j]) <= radius_) out.push_back(j);
                }
            }
    std::sort(out.begin(), out.end());
}

}  // namespace massnet
