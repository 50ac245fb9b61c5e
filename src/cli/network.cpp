// massnet network: the dense distances, weights and delays of a small grid, for inspection.
#include <massnet/config/config.hpp>
#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/network/delay_slices.hpp>
#include <massnet/network/network_plan.hpp>
#include <massnet/report/report.hpp>

#include <filesystem>

#include "build_info.hpp"
#include "cli/options.hpp"
#include "util/files.hpp"
#include "util/system.hpp"

namespace massnet::cli {
namespace {

constexpr const char* default_network_file = "massnet-network.h5";

// Distances, weights and delays of every pair, row-major N x N; connections per delay slice.
struct DenseNetwork {
    std::vector<double> distances, weights;
    std::vector<std::int64_t> delays, slice_connections;
};

DenseNetwork dense_network(const NetworkPlan& plan) {
    const std::int64_t n = plan.sources();
    DenseNetwork d;
    d.distances.resize(static_cast<std::size_t>(n * n));
    d.weights.resize(d.distances.size());
    d.delays.assign(d.distances.size(), 0);
    d.slice_connections.assign(static_cast<std::size_t>(plan.max_delay), 0);
    const auto& w = plan.coupling.weights;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            const double r = distance(plan.positions[i], plan.positions[j]);
            const double weight = coupling_weight(w, r);
            d.distances[i * n + j] = r;
            if (!is_connected(w, r, weight)) continue;  // unconnected: weight 0, delay 0
            d.weights[i * n + j] = weight;
            d.delays[i * n + j] = delay_samples(plan.coupling, r);
            ++d.slice_connections[d.delays[i * n + j] - 1];
        }
    return d;
}

int network_command(const Invocation& inv) {
    po::options_description own("Options");
    own.add_options()("help,h", "this help")("force", "overwrite an existing output file");
    ParsedArgs args = parse_arguments(inv.args, own, true);
    if (args.options.count("help")) {
        const std::string about =
            "Usage: massnet network [CONFIG.ini] [--section.key=value ...] [--force]\n\n"
            "Writes the dense distance matrix /distances [m], the weights /weights (W0), the\n"
            "delays /delays [samples] (0 where a cutoff leaves a pair unconnected), the\n"
            "connections in each delay slice /slice_connections and /positions to\n"
            "output.file (default " +
            std::string(default_network_file) +
            "). Meant for small grids: it refuses\n"
            "grids whose dense matrices would not fit in memory.";
        inv.console.line(help_text(about, own) + "\n" + settings_help());
        return exit_ok;
    }
    require_single_rank(inv, "massnet network");
    Settings settings = config::load(args.config_file, args.overrides);
    if (settings.output.file == OutputSettings{}.file) settings.output.file = default_network_file;
    util::check_output_path(settings.output.file, args.options.count("force") > 0, "output.file");

    NetworkPlan plan = plan_network(settings, inv.comm);
    const std::int64_t n = plan.sources();
    const std::int64_t dense_bytes = 3 * n * n * 8;
    const std::int64_t available = util::available_memory();
    if (available > 0 && dense_bytes > available / 2)
        throw InputError("grid: " + format_count(n) + " sources need " + format_bytes(dense_bytes) +
                         " of dense matrices, more than half the " + format_bytes(available) +
                         " available; massnet network is for small grids (massnet simulate "
                         "never builds dense matrices)");
    DenseNetwork dense = dense_network(plan);

    const std::string partial = util::temporary_name(settings.output.file);
    try {
        io::Handle file = io::create_file(partial);
        const std::vector<hsize_t> square{static_cast<hsize_t>(n), static_cast<hsize_t>(n)};
        io::write_doubles(file.id(), "distances", dense.distances, square);
        io::write_doubles(file.id(), "weights", dense.weights, square);
        io::write_int64s(file.id(), "delays", dense.delays, square);
        io::write_int64s(file.id(), "slice_connections", dense.slice_connections,
                         {dense.slice_connections.size()});
        io::write_doubles(file.id(), "positions", plan.positions.xyz, {static_cast<hsize_t>(n), 3});
        write_attributes(file.id(), {{"massnet_kind", std::string("network")},
                                     {"massnet_version", std::string(build::version)},
                                     {"git_commit", std::string(build::git_commit)},
                                     {"command_line", inv.command_line},
                                     {"config", config::to_ini(settings)},
                                     {"start_time", util::iso_time_now()},
                                     {"sources", n},
                                     {"connections", plan.connections()},
                                     {"T", plan.max_delay},
                                     {"d_min", plan.min_delay},
                                     {"fs", settings.simulation.fs}});
        file.close();
        util::commit_file(partial, settings.output.file);
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(partial, ec);
        throw;
    }
    inv.console.line("network: " + format_count(n) + " sources, " +
                     format_count(plan.connections()) +
                     " connections, T = " + std::to_string(plan.max_delay) +
                     ", d_min = " + std::to_string(plan.min_delay));
    inv.console.line("wrote " + settings.output.file);
    return exit_ok;
}

const Registration registration({"network",
                                 "write dense distances, weights and delays of a small grid", 20,
                                 network_command});

}  // namespace
}  // namespace massnet::cli
