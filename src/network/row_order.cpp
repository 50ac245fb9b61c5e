#include <massnet/network/row_order.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>

namespace massnet {
namespace {

// The 21 low bits of v spread out to every third bit of 63.
std::uint64_t spread_bits(std::uint64_t v) {
    v &= 0x1fffff;
    v = (v | v << 32) & 0x1f00000000ffffULL;
    v = (v | v << 16) & 0x1f0000ff0000ffULL;
    v = (v | v << 8) & 0x100f00f00f00f00fULL;
    v = (v | v << 4) & 0x10c30c30c30c30c3ULL;
    v = (v | v << 2) & 0x1249249249249249ULL;
    return v;
}

}  // namespace

std::vector<std::int32_t> z_order(const Positions& positions, std::int64_t begin,
                                  std::int64_t end) {
    const std::int64_t rows = end - begin;
    std::array<double, 3> lo, hi;
    lo.fill(std::numeric_limits<double>::infinity());
    hi.fill(-std::numeric_limits<double>::infinity());
    for (std::int64_t i = begin; i < end; ++i)
        for (int a = 0; a < 3; ++a) {
            lo[a] = std::min(lo[a], positions[i][a]);
            hi[a] = std::max(hi[a], positions[i][a]);
        }

    constexpr double cells = (1 << 21) - 1;
    std::vector<std::uint64_t> code(static_cast<std::size_t>(rows), 0);
    for (std::int64_t r = 0; r < rows; ++r)
        for (int a = 0; a < 3; ++a) {
            const double extent = hi[a] - lo[a];
            const double scaled = extent > 0 ? (positions[begin + r][a] - lo[a]) / extent : 0.0;
            const auto cell = static_cast<std::uint64_t>(std::clamp(scaled, 0.0, 1.0) * cells);
            code[r] |= spread_bits(cell) << a;
        }

    std::vector<std::int32_t> order(static_cast<std::size_t>(rows));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::int32_t a, std::int32_t b) { return code[a] < code[b]; });
    return order;
}

}  // namespace massnet
