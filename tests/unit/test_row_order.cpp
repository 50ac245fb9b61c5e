// The order in which a process stores its target rows (row_order.hpp).
#include <catch2/catch.hpp>

#include <massnet/network/row_order.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <vector>

using namespace massnet;

namespace {

// A 12 x 10 x 8 lattice of spacing 4 mm, its points in the order given by `shuffle`.
Positions lattice(std::size_t shuffle) {
    std::vector<std::array<double, 3>> points;
    for (int x = 0; x < 12; ++x)
        for (int y = 0; y < 10; ++y)
            for (int z = 0; z < 8; ++z)
                points.push_back({x * 0.004 - 0.02, y * 0.004 + 0.01, z * 0.004 - 0.003});
    for (std::size_t k = 0; k < points.size(); ++k)
        std::swap(points[k], points[(k * shuffle) % points.size()]);
    Positions p;
    for (const auto& q : points)
        p.xyz.insert(p.xyz.end(), q.begin(), q.end());
    return p;
}

double path_length(const Positions& p, const std::vector<std::int32_t>& order) {
    double length = 0;
    for (std::size_t k = 1; k < order.size(); ++k) {
        const auto a = p[order[k - 1]], b = p[order[k]];
        length += std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                            (a[2] - b[2]) * (a[2] - b[2]));
    }
    return length;
}

}  // namespace

TEST_CASE("z order is a permutation of the process's rows", "[network][row_order]") {
    const Positions p = lattice(7919);
    for (auto [begin, end] :
         {std::pair<std::int64_t, std::int64_t>{0, 960}, {100, 437}, {5, 6}, {300, 300}}) {
        INFO("rows " << begin << " to " << end);
        std::vector<std::int32_t> order = z_order(p, begin, end);
        REQUIRE(static_cast<std::int64_t>(order.size()) == end - begin);
        std::sort(order.begin(), order.end());
        std::vector<std::int32_t> all(order.size());
        std::iota(all.begin(), all.end(), 0);
        CHECK(order == all);
    }
}

TEST_CASE("z order walks a shuffled grid in short steps, whatever its index order",
          "[network][row_order]") {
    const Positions shuffled = lattice(7919), other = lattice(104729);
    const std::int64_t n = shuffled.size();
    REQUIRE(n == 960);

    std::vector<std::int32_t> index_order(static_cast<std::size_t>(n));
    std::iota(index_order.begin(), index_order.end(), 0);
    const std::vector<std::int32_t> z = z_order(shuffled, 0, n);

    // In index order consecutive rows are far apart (the mean distance of two random points of
    // the lattice, about 2 cm); in z order most steps are one lattice spacing (4 mm) and the
    // jumps between the curve's cells are few.
    const double spacing = 0.004;
    CHECK(path_length(shuffled, index_order) > 15 * spacing * (n - 1) / 4);
    CHECK(path_length(shuffled, z) < 2 * spacing * (n - 1));

    // The order depends on the positions alone: the same points in another index order are
    // visited in the same sequence.
    const std::vector<std::int32_t> z_other = z_order(other, 0, n);
    bool same_sequence = true;
    for (std::int64_t r = 0; r < n; ++r)
        same_sequence &= std::equal(shuffled[z[r]], shuffled[z[r]] + 3, other[z_other[r]]);
    CHECK(same_sequence);
}

TEST_CASE("z order of coincident positions keeps their index order", "[network][row_order]") {
    Positions p;
    p.xyz = {0.01, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.0, 0.0};
    CHECK(z_order(p, 0, 5) == std::vector<std::int32_t>{1, 3, 0, 2, 4});
}
