#pragma once
// Everything known about a network before its slices are built: positions, delay range,
// connections per row and which rank owns which rows. Every rank computes the same plan.
#include <massnet/config/settings.hpp>
#include <massnet/grid/grid.hpp>
#include <massnet/network/geometry.hpp>
#include <massnet/parallel/comm.hpp>

#include <cstdint>
#include <vector>

namespace massnet {

struct NetworkPlan {
    Positions positions;
    Coupling coupling;
    std::int64_t min_delay = 1;                 ///< d_min [samples]
    std::int64_t max_delay = 1;                 ///< T [samples]
    std::vector<std::int64_t> row_connections;  ///< kept connections of every row
    std::vector<std::int64_t> row_offsets;      ///< ranks' row blocks, balanced by connections

    std::int64_t sources() const { return positions.size(); }
    std::int64_t connections() const;  ///< the whole network's (64-bit)
    std::int64_t connections_of(int rank) const;
    std::int64_t rows_of(int rank) const { return row_offsets[rank + 1] - row_offsets[rank]; }
};

/// Reads the grid and surveys the rows, each rank an equal share, then partitions them.
NetworkPlan plan_network(const Settings& settings, const Comm& comm);

/// Bytes one rank will hold while simulating.
struct MemoryEstimate {
    std::int64_t slices = 0;
    std::int64_t history = 0;
    std::int64_t output = 0;
    std::int64_t other = 0;  ///< positions, row sums, exchange buffers
    std::int64_t total() const { return slices + history + output + other; }
};

MemoryEstimate estimate_memory(const NetworkPlan& plan, int rank, const Settings& settings);

/// The fewest ranks (up to `max_ranks`) whose largest estimate stays within `limit`, or 0.
int ranks_that_fit(const NetworkPlan& plan, const Settings& settings, std::int64_t limit,
                   int max_ranks = 4096);

}  // namespace massnet
