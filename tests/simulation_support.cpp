#include "simulation_support.hpp"

#include <massnet/network/delay_slices.hpp>
#include <massnet/network/network_plan.hpp>
#include <massnet/simulation/initial_history.hpp>

#include "support.hpp"

namespace test {
namespace {

// Keeps each step's activity of this rank's rows.
class Collector : public massnet::StepObserver {
  public:
    explicit Collector(std::int64_t rows) : rows_(rows) {}
    void on_activity(std::int64_t, std::int64_t count, const double* own) override {
        values.insert(values.end(), own, own + count * rows_);
    }
    std::vector<double> values;

  private:
    std::int64_t rows_;
};

}  // namespace

GoldenRun golden_run(const std::string& name) {
    GoldenRun run;
    const std::string path = data(name);
    massnet::io::Handle file = massnet::io::open_for_reading(path, "golden");
    run.activity = massnet::io::read_doubles(file.id(), "activity", "golden");
    run.settings.grid.file = path;
    run.settings.simulation.initial = path;
    run.settings.simulation.fs = massnet::io::read_double_attribute(file.id(), "fs");
    run.settings.simulation.duration = massnet::io::read_double_attribute(file.id(), "duration");
    return run;
}

std::vector<double> simulate(const massnet::Settings& settings, const massnet::Comm& comm,
                             std::optional<massnet::StepPlan> plan) {
    using namespace massnet;
    NetworkPlan net_plan = plan_network(settings, comm);
    const std::int64_t first = net_plan.row_offsets[comm.rank()];
    const std::int64_t last = net_plan.row_offsets[comm.rank() + 1];
    Neighbours neighbours(net_plan.positions, settings.weights.max_distance);
    auto slices = build_slices<double>(net_plan.positions, net_plan.coupling, neighbours, first,
                                       last, net_plan.min_delay, net_plan.max_delay);
    RingBuffer history(net_plan.sources(), net_plan.max_delay);
    history.assign_history(
        initial_history(settings.simulation, net_plan.sources(), net_plan.max_delay), 0);
    ActivityExchange exchange(comm, net_plan.row_offsets);
    Simulation<double> simulation(slices, settings.transfer, std::move(history), exchange, 0, plan);
    Collector collector(last - first);
    const std::int64_t steps = step_count(settings.simulation);
    simulation.run(steps, collector);

    // Assemble steps x N from every rank's columns.
    const std::int64_t n = net_plan.sources();
    std::vector<double> mine(static_cast<std::size_t>(steps * n), 0.0);
    for (std::int64_t s = 0; s < steps; ++s)
        for (std::int64_t i = first; i < last; ++i)
            mine[s * n + i] = collector.values[s * (last - first) + (i - first)];
    std::vector<double> all(mine.size());
    MPI_Allreduce(mine.data(), all.data(), static_cast<int>(all.size()), MPI_DOUBLE, MPI_SUM,
                  comm.get());
    return all;
}

}  // namespace test
