// The step loop against the NumPy reference's golden activity, and its determinism.
#include <catch2/catch.hpp>

#include <massnet/huge_pages.hpp>
#include <massnet/simulation/random.hpp>
#include <massnet/simulation/ring_buffer.hpp>

#include <omp.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

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

TEST_CASE("near delays summed in tiers agree with summing them step by step", "[simulation]") {
    StepPlan step_by_step{1, 1, 0};
    SECTION("d_min = 1: tiers of 8, 4, 2 and 1 steps under blocks of 16") {
        auto golden = test::golden_run("neural_mass_300_fs250.h5");
        const StepPlan plan = plan_steps(1, 90);
        REQUIRE(plan.block == 16);
        REQUIRE(plan.exchange == 1);

        auto tiers = test::simulate(golden.settings, Comm(), plan);
        auto steps = test::simulate(golden.settings, Comm(), step_by_step);

        CHECK(largest_difference(tiers, steps) < 1e-12);
        CHECK(largest_difference(tiers, golden.activity.data) < 1e-10);
    }
    SECTION("d_min = 3: exchanges every 2 steps, the narrowest tier starts at delay 3") {
        auto settings = test::golden_run("neural_mass_300_fs1000.h5").settings;
        settings.simulation.initial.clear();  // a seeded history of the new T
        settings.delays.synaptic = 0.003;
        settings.simulation.duration = 0.2;

        auto tiers = test::simulate(settings, Comm());
        auto steps = test::simulate(settings, Comm(), step_by_step);

        REQUIRE(tiers.size() == 200 * 300);
        CHECK(largest_difference(tiers, steps) < 1e-12);
        CHECK(tiers != steps);  // the sums really were grouped differently
    }
}

TEST_CASE("step plan: blocks are powers of two within T / 2, exchange within d_min",
          "[simulation]") {
    CHECK(plan_steps(2, 361).block == 16);
    CHECK(plan_steps(2, 361).exchange == 2);
    CHECK(plan_steps(2, 361).far_slice == 15);
    CHECK(plan_steps(1, 36).block == 16);
    CHECK(plan_steps(1, 36).exchange == 1);
    CHECK(plan_steps(1, 31).block == 8);
    CHECK(plan_steps(3, 3).block == 1);
    CHECK(plan_steps(3, 3).exchange == 1);
    CHECK(plan_steps(3, 400).exchange == 2);  // a power of two: the near tiers' widths
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

namespace {

// The "THPeligible" line of /proc/self/smaps for the mapping holding `p`: whether the kernel
// may back it with huge pages. Empty when the kernel does not say.
std::string huge_page_eligibility(const void* p) {
    std::ifstream smaps("/proc/self/smaps");
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    bool inside = false;
    for (std::string line; std::getline(smaps, line);) {
        std::uintptr_t begin = 0, end = 0;
        if (std::sscanf(line.c_str(), "%lx-%lx ", &begin, &end) == 2 &&
            line.find(':') > line.find(' ')) {
            inside = begin <= address && address < end;
        } else if (inside && line.rfind("THPeligible:", 0) == 0) {
            return line.substr(line.find_first_not_of(" \t", 12));
        }
    }
    return "";
}

std::string transparent_huge_pages_mode() {
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string mode;
    std::getline(in, mode);
    return mode;
}

}  // namespace

TEST_CASE("the ring buffer asks for huge pages and keeps its values", "[simulation][ring]") {
    RingBuffer ring(1000, 400);  // 6.4 MB
    const double* values = ring.data();
    CHECK(reinterpret_cast<std::uintptr_t>(values) % huge_page_bytes == 0);
    ring.set(999, 12345, 0.25);
    CHECK(ring.at(999, 12345) == 0.25);
    CHECK(ring.at(0, 0) == 0.0);

    const std::string mode = transparent_huge_pages_mode();
    if (mode.empty() || mode.find("[never]") != std::string::npos) {
        WARN("transparent huge pages are off here: " << mode);
    } else {
        CHECK(huge_page_eligibility(values) == "1");
        if (mode.find("[madvise]") != std::string::npos) {
            // Without the advice, the same size would stay on 4 KiB pages.
            std::vector<double> plain(1000 * 800, 0.0);
            CHECK(huge_page_eligibility(plain.data()) == "0");
        }
    }

    // Small arrays stay on ordinary allocations.
    HugePageAllocator<double> allocator;
    double* small = allocator.allocate(16);
    small[15] = 1.0;
    CHECK(small[15] == 1.0);
    allocator.deallocate(small, 16);
}
