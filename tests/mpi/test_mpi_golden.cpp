// Run under mpiexec at 1, 2 and 3 ranks: the same golden activity whatever the partition.
#include <catch2/catch.hpp>

#include <massnet/network/network_plan.hpp>

#include <cmath>

#include "simulation_support.hpp"

using namespace massnet;

TEST_CASE("golden activity to 1e-10 at this rank count", "[mpi][golden]") {
    for (std::string name : {"neural_mass_300_fs1000.h5", "neural_mass_300_fs250.h5"}) {
        auto golden = test::golden_run(name);

        auto activity = test::simulate(golden.settings, Comm());

        REQUIRE(activity.size() == golden.activity.data.size());
        double worst = 0;
        for (std::size_t i = 0; i < activity.size(); ++i)
            worst = std::max(worst, std::abs(activity[i] - golden.activity.data[i]));
        CHECK(worst < 1e-10);
    }
}

TEST_CASE("activity at this rank count equals one rank's bit for bit", "[mpi][determinism]") {
    auto golden = test::golden_run("neural_mass_300_fs1000.h5");
    Comm world;
    MPI_Comm self_comm = MPI_COMM_SELF;

    auto together = test::simulate(golden.settings, world);
    auto alone = test::simulate(golden.settings, Comm(self_comm));

    CHECK(together == alone);
}

TEST_CASE("every rank owns a contiguous block and the blocks cover every row once",
          "[mpi][partition]") {
    auto golden = test::golden_run("neural_mass_300_fs1000.h5");
    Comm world;

    NetworkPlan plan = plan_network(golden.settings, world);

    REQUIRE(plan.row_offsets.size() == static_cast<std::size_t>(world.size()) + 1);
    CHECK(plan.row_offsets.front() == 0);
    CHECK(plan.row_offsets.back() == 300);
    CHECK(std::is_sorted(plan.row_offsets.begin(), plan.row_offsets.end()));
    CHECK(world.sum(plan.connections_of(world.rank())) == 300 * 300);
    CHECK(world.max(plan.rows_of(world.rank())) - world.min(plan.rows_of(world.rank())) <= 1);
}
