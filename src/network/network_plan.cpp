#include <massnet/error.hpp>
#include <massnet/network/delay_slices.hpp>
#include <massnet/network/neighbours.hpp>
#include <massnet/network/network_plan.hpp>
#include <massnet/network/partition.hpp>
#include <massnet/report/report.hpp>
#include <massnet/simulation/simulation.hpp>

#include <algorithm>
#include <numeric>

namespace massnet {

std::int64_t NetworkPlan::connections() const {
    return std::accumulate(row_connections.begin(), row_connections.end(), std::int64_t{0});
}

std::int64_t NetworkPlan::connections_of(int rank) const {
    return std::accumulate(row_connections.begin() + row_offsets[rank],
                           row_connections.begin() + row_offsets[rank + 1], std::int64_t{0});
}

NetworkPlan plan_network(const Settings& settings, const Comm& comm) {
    NetworkPlan plan;
    plan.coupling = Coupling{settings.weights, settings.delays, settings.simulation.fs};
    comm.together([&] { plan.positions = load_grid(settings.grid); });

    // Each rank surveys an equal share of the rows; all then know every row's connections.
    RowSurvey survey;
    comm.together([&] {
        Neighbours neighbours(plan.positions, settings.weights.max_distance);
        auto share = equal_rows(plan.sources(), comm.size());
        survey = survey_rows(plan.positions, plan.coupling, neighbours, share[comm.rank()],
                             share[comm.rank() + 1]);
    });
    plan.row_connections = comm.concat(survey.connections);
    plan.min_delay = comm.min(survey.min_delay);
    plan.max_delay = comm.max(survey.max_delay);
    comm.together([&] {
        if (plan.connections() == 0)
            throw InputError(
                "weights: no pair of sources is connected; raise "
                "weights.max_distance or lower weights.min_weight");
    });
    plan.row_offsets = partition_rows(plan.row_connections, comm.size());
    return plan;
}

MemoryEstimate estimate_memory(const NetworkPlan& plan, int rank, const Settings& settings) {
    const std::int64_t rows = plan.rows_of(rank);
    const std::int64_t n = plan.sources();
    const std::int64_t scalar = settings.simulation.precision == Precision::float32 ? 4 : 8;
    const StepPlan steps = plan_steps(plan.min_delay, plan.max_delay);
    ReportLayout layout;
    layout.steps = step_count(settings.simulation);
    layout.every = settings.output.every;
    MemoryEstimate m;
    m.slices = slice_bytes(rows, plan.connections_of(rank), plan.max_delay, scalar);
    m.history = n * 2 * plan.max_delay * 8;
    m.output = report_rows_per_flush(n, layout.recorded(), report_buffer_bytes) * rows * 8;
    // Positions, row connection counts, build-time offsets, row sums, exchange buffers.
    m.other = n * 3 * 8 + n * 8 + plan.max_delay * (rows + 1) * 8 + rows * steps.block * 8 +
              steps.exchange * (n + rows) * 8;
    return m;
}

int ranks_that_fit(const NetworkPlan& plan, const Settings& settings, std::int64_t limit,
                   int max_ranks) {
    NetworkPlan trial;
    trial.positions = plan.positions;
    trial.min_delay = plan.min_delay;
    trial.max_delay = plan.max_delay;
    trial.row_connections = plan.row_connections;
    for (int ranks = 1; ranks <= max_ranks; ranks = ranks < 16 ? ranks + 1 : ranks * 2) {
        trial.row_offsets = partition_rows(plan.row_connections, ranks);
        std::int64_t worst = 0;
        for (int r = 0; r < ranks; ++r)
            worst = std::max(worst, estimate_memory(trial, r, settings).total());
        if (worst <= limit) return ranks;
    }
    return 0;
}

}  // namespace massnet
