// The network of MODEL.md section 1: weights, delays and their per-delay sparse slices.
#include <catch2/catch.hpp>

#include <massnet/config/config.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/network/delay_slices.hpp>
#include <massnet/network/network_plan.hpp>
#include <massnet/network/partition.hpp>

#include <massnet/network/geometry.hpp>
#include <massnet/network/neighbours.hpp>

#include <array>
#include <numeric>
#include <set>

#include "support.hpp"

using namespace massnet;

namespace {

struct Golden {
    Positions positions;
    io::Array<double> weights;
    io::Array<std::int64_t> delays;
    double fs;
};

Golden read_golden(const std::string& name) {
    io::Handle file = io::open_for_reading(test::data(name), "golden");
    Golden g;
    g.positions.xyz = io::read_doubles(file.id(), "positions", "golden").data;
    g.weights = io::read_doubles(file.id(), "weights", "golden");
    g.delays = io::read_int64s(file.id(), "delays", "golden");
    g.fs = io::read_double_attribute(file.id(), "fs");
    return g;
}

DelaySlices<double> all_rows(const Positions& p, const Coupling& c) {
    Neighbours neighbours(p, c.weights.max_distance);
    RowSurvey survey = survey_rows(p, c, neighbours, 0, p.size());
    return build_slices<double>(p, c, neighbours, 0, p.size(), survey.min_delay, survey.max_delay);
}

}  // namespace

TEST_CASE("slices hold exactly the golden weights at the golden delays", "[network]") {
    for (std::string name : {"neural_mass_300_fs1000.h5", "neural_mass_300_fs250.h5"}) {
        Golden g = read_golden(name);
        Coupling coupling{WeightSettings{}, DelaySettings{}, g.fs};

        DelaySlices<double> net = all_rows(g.positions, coupling);

        const std::int64_t n = g.positions.size();
        std::int64_t seen = 0;
        double worst = 0;
        bool delays_equal = true;
        for (std::int64_t k = 0; k < net.max_delay; ++k)
            for (std::int64_t r = 0; r < n; ++r)
                for (Eigen::SparseMatrix<double, Eigen::RowMajor, std::int32_t>::InnerIterator it(
                         net.slices[k], r);
                     it; ++it) {
                    const std::int64_t i = net.targets[r];
                    delays_equal &= g.delays.data[i * n + it.col()] == k + 1;
                    worst =
                        std::max(worst, std::abs(it.value() - g.weights.data[i * n + it.col()]));
                    ++seen;
                }
        CHECK(delays_equal);
        CHECK(worst <= 1e-16);
        CHECK(seen == n * n);
    }
}

TEST_CASE("every pair lies in exactly one slice and T, d_min match the delays", "[network]") {
    Golden g = read_golden("neural_mass_300_fs1000.h5");
    Coupling coupling{WeightSettings{}, DelaySettings{}, g.fs};

    DelaySlices<double> net = all_rows(g.positions, coupling);

    const std::int64_t n = g.positions.size();
    std::vector<int> hits(static_cast<std::size_t>(n * n), 0);
    for (const auto& slice : net.slices)
        for (std::int64_t r = 0; r < n; ++r)
            for (Eigen::SparseMatrix<double, Eigen::RowMajor, std::int32_t>::InnerIterator it(slice,
                                                                                              r);
                 it; ++it)
                ++hits[net.targets[r] * n + it.col()];
    CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    CHECK(net.connections() == n * n);
    CHECK(net.max_delay == *std::max_element(g.delays.data.begin(), g.delays.data.end()));
    CHECK(net.min_delay == *std::min_element(g.delays.data.begin(), g.delays.data.end()));
    CHECK(net.max_delay == 344);
    CHECK(net.min_delay == 2);
}

TEST_CASE("each rounding rule at the exact half-sample boundary", "[network]") {
    // c = 1 m/s, t0 = 0, fs = 1000: D = 2.5 mm is exactly 2.5 samples, D = 3 mm exactly 3.
    Coupling c{WeightSettings{}, DelaySettings{1.0, 0.0, Rounding::nearest}, 1000.0};
    auto delay_at = [&](Rounding r, double d) {
        c.delays.rounding = r;
        return delay_samples(c, d);
    };

    CHECK(delay_at(Rounding::nearest, 0.0025) == 3);  // halves go up
    CHECK(delay_at(Rounding::floor, 0.0025) == 2);
    CHECK(delay_at(Rounding::ceil, 0.0025) == 3);
    CHECK(delay_at(Rounding::nearest, 0.0024999) == 2);
    CHECK(delay_at(Rounding::nearest, 0.003) == 3);
    CHECK(delay_at(Rounding::floor, 0.003) == 3);
    CHECK(delay_at(Rounding::ceil, 0.003) == 3);
    CHECK(delay_at(Rounding::ceil, 0.0030001) == 4);
    // Never below one sample, whatever the rule.
    CHECK(delay_at(Rounding::nearest, 0.0) == 1);
    CHECK(delay_at(Rounding::floor, 0.0004) == 1);
    CHECK(delay_at(Rounding::ceil, 0.0) == 1);
}

TEST_CASE("partition covers every row once, balanced by connections", "[network][partition]") {
    std::vector<std::int64_t> uneven(1000);
    for (std::size_t i = 0; i < uneven.size(); ++i)
        uneven[i] = i < 100 ? 1000 : 10;
    const std::int64_t total = std::accumulate(uneven.begin(), uneven.end(), std::int64_t{0});

    for (int parts : {1, 2, 3, 4, 7}) {
        auto offsets = partition_rows(uneven, parts);

        REQUIRE(offsets.size() == static_cast<std::size_t>(parts) + 1);
        CHECK(offsets.front() == 0);
        CHECK(offsets.back() == 1000);
        CHECK(std::is_sorted(offsets.begin(), offsets.end()));
        for (int p = 0; p < parts; ++p) {
            std::int64_t load = std::accumulate(uneven.begin() + offsets[p],
                                                uneven.begin() + offsets[p + 1], std::int64_t{0});
            CHECK(std::abs(load - total / parts) <= 1000);  // within one row's connections
        }
    }
}

TEST_CASE("partition of a tiny grid over more ranks than rows leaves some blocks empty",
          "[network][partition]") {
    std::vector<std::int64_t> rows{5, 5, 5};

    auto offsets = partition_rows(rows, 5);

    CHECK(offsets.front() == 0);
    CHECK(offsets.back() == 3);
    CHECK(std::is_sorted(offsets.begin(), offsets.end()));
    std::int64_t nonempty = 0;
    for (int p = 0; p < 5; ++p)
        nonempty += offsets[p + 1] > offsets[p];
    CHECK(nonempty == 3);
}

TEST_CASE("a distance cutoff keeps exactly the pairs within it", "[network][cutoff]") {
    Golden g = read_golden("neural_mass_300_fs1000.h5");
    Coupling coupling{WeightSettings{}, DelaySettings{}, g.fs};
    coupling.weights.max_distance = 0.03;
    const std::int64_t n = g.positions.size();
    std::int64_t expected = 0;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            double dx = g.positions[i][0] - g.positions[j][0],
                   dy = g.positions[i][1] - g.positions[j][1],
                   dz = g.positions[i][2] - g.positions[j][2];
            expected += std::sqrt(dx * dx + dy * dy + dz * dz) <= 0.03;
        }

    DelaySlices<double> net = all_rows(g.positions, coupling);

    CHECK(net.connections() == expected);
    CHECK(expected < n * n / 4);
}

TEST_CASE("neighbours within a radius: exactly the pairs a full scan finds, in index order",
          "[network][cutoff]") {
    // A lattice of spacing 3 mm (not a binary fraction, so that pairs at exactly a multiple of the
    // spacing land on either side of the radius by rounding), shuffled so that index order is
    // not cell order, plus a few scattered sources. Dense enough that the cells are narrower
    // than most radii, so that the scan reaches over several of them.
    Positions p;
    std::vector<std::array<double, 3>> points;
    for (int x = 0; x < 12; ++x)
        for (int y = 0; y < 10; ++y)
            for (int z = 0; z < 8; ++z)
                points.push_back({x * 0.003 - 0.01, y * 0.003 + 0.02, z * 0.003});
    for (int k = 0; k < 40; ++k)
        points.push_back({0.0011 * k - 0.01, 0.0007 * ((k * 7) % 40) + 0.02, 0.0005 * k});
    for (std::size_t k = 0; k < points.size(); ++k)
        std::swap(points[k], points[(k * 7919) % points.size()]);
    for (const auto& q : points)
        p.xyz.insert(p.xyz.end(), q.begin(), q.end());
    const std::int64_t n = p.size();

    for (double radius : {0.0001, 0.003, 0.006, 0.0065, 0.009, 0.02, 0.9}) {
        INFO("radius " << radius);
        Neighbours neighbours(p, radius);
        std::vector<std::int32_t> found, expected;
        std::int64_t mismatched_rows = 0, pairs = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            expected.clear();
            for (std::int64_t j = 0; j < n; ++j)
                if (distance(p[i], p[j]) <= radius)
                    expected.push_back(static_cast<std::int32_t>(j));
            neighbours.within(i, found);
            mismatched_rows += found != expected;
            pairs += static_cast<std::int64_t>(expected.size());
        }
        CHECK(mismatched_rows == 0);
        CHECK(pairs >= n);  // every source is its own neighbour
    }
}
