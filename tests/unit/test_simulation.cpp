// The step loop against the NumPy reference's golden activity, and its determinism.
#include <catch2/catch.hpp>

#include <massnet/simulation/random.hpp>
#include <massnet/simulation/ring_buffer.hpp>

#include <omp.h>

#include <cmath>

#include "simulation_support.hpp"

using namespace massnet;

namespace {

double largest_difference(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

}  // namespace

TEST_CASE("activity agrees with the golden reference to 1e-10 over the whole run",
          "[simulation][golden]") {
    for (std::string name : {"neural_mass_300_fs1000.h5", "neural_mass_300_fs250.h5"}) {
        auto golden = test::golden_run(name);

        auto activity = test::simulate(golden.settings, Comm());

        REQUIRE(activity.size() == golden.activity.data.size());
        CHECK(largest_difference(activity, golden.activity.data) < 1e-10);
    }
}

TEST_CASE("one and two threads give bit-identical activity", "[simulation][threads]") {
    auto golden = test::golden_run("neural_mass_300_fs1000.h5");
    const int threads = omp_get_max_threads();

    omp_set_num_threads(1);
    auto one = test::simulate(golden.settings, Comm());
    omp_set_num_threads(2);
    auto two = test::simulate(golden.settings, Comm());
    omp_set_num_threads(threads);

    CHECK(one == two);
}

TEST_CASE("the grouping of steps changes the sums only by rounding", "[simulation]") {
    auto golden = test::golden_run("neural_mass_300_fs1000.h5");
    StepPlan step_by_step{1, 1, 0};
    StepPlan blocked{32, 2, 31};

    auto a = test::simulate(golden.settings, Comm(), step_by_step);
    auto b = test::simulate(golden.settings, Comm(), blocked);

    CHECK(largest_difference(a, b) < 1e-12);
    CHECK(largest_difference(a, golden.activity.data) < 1e-10);
}

TEST_CASE("step plan: blocks are powers of two within T / 4, exchange within d_min",
          "[simulation]") {
    CHECK(plan_steps(2, 361).block == 16);
    CHECK(plan_steps(2, 361).exchange == 2);
    CHECK(plan_steps(2, 361).far_slice == 15);
    CHECK(plan_steps(1, 36).block == 8);
    CHECK(plan_steps(1, 36).exchange == 1);
    CHECK(plan_steps(3, 3).block == 1);
    CHECK(plan_steps(3, 3).exchange == 1);
    CHECK(plan_steps(40, 400, 32).exchange == 32);
}

TEST_CASE("ring buffer keeps T steps and every window of them contiguous", "[simulation][ring]") {
    RingBuffer ring(2, 5);
    std::vector<double> history{10, 11, 12, 13, 14, 20, 21, 22, 23, 24};  // column k = step -1-k

    ring.assign_history(history, 0);
    ring.set(0, 0, 99);  // step 0 replaces step -5

    CHECK(ring.at(0, -1) == 10);
    CHECK(ring.at(1, -5) == 24);
    CHECK(ring.at(0, 0) == 99);
    const double* w = ring.window(0, -4);  // steps -4 .. 0
    CHECK(std::vector<double>(w, w + 5) == std::vector<double>{13, 12, 11, 10, 99});
    // Source 1 was not written at step 0, so its slot still holds step -5's value.
    CHECK(ring.history(1) == std::vector<double>{99, 10, 11, 12, 13, 24, 20, 21, 22, 23});
}

TEST_CASE("counter-based random numbers: uniform moments and independence of order", "[random]") {
    const int count = 200000;
    double sum = 0, sum2 = 0, normal_sum = 0, normal_sum2 = 0;
    for (int i = 0; i < count; ++i) {
        double u = random_uniform(7, RandomStream::initial_history, i % 1000, i / 1000);
        double z = random_normal(7, RandomStream::noise, i % 1000, i / 1000);
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        sum += u;
        sum2 += u * u;
        normal_sum += z;
        normal_sum2 += z * z;
    }

    // Means within 6 standard errors: sd(u) = 0.289, sd(z) = 1.
    CHECK(std::abs(sum / count - 0.5) < 6 * 0.289 / std::sqrt(count));
    CHECK(std::abs(sum2 / count - 1.0 / 3.0) < 0.005);
    CHECK(std::abs(normal_sum / count) < 6 / std::sqrt(count));
    CHECK(std::abs(normal_sum2 / count - 1.0) < 0.02);
    CHECK(random_uniform(7, RandomStream::noise, 3, 4) ==
          random_uniform(7, RandomStream::noise, 3, 4));
    CHECK(random_uniform(7, RandomStream::noise, 3, 4) !=
          random_uniform(8, RandomStream::noise, 3, 4));
}
