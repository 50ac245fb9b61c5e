#pragma once
// Which sources a target row is connected to: every source, or with a distance cutoff only those
// within it, found through a grid of cells so that large grids never scan all pairs.
#include <massnet/grid/grid.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace massnet {

class Neighbours {
  public:
    /// `radius` [m]: infinity connects every pair.
    Neighbours(const Positions& positions, double radius);

    /// Sources within the radius of source `i`, in increasing index order, into `out`.
    void within(std::int64_t i, std::vector<std::int32_t>& out) const;
    bool all_pairs() const { return cell_of_.empty(); }

  private:
    const Positions& positions_;
    double radius_;
    double cell_size_ = 0;
    std::int64_t reach_ = 1;  // cells to scan on each side of a source's own cell
    std::int64_t cells_[3] = {0, 0, 0};
    double origin_[3] = {0, 0, 0};
    std::vector<std::int64_t> cell_of_;     // cell of each source
    std::vector<std::int64_t> cell_start_;  // sources of cell c: members_[cell_start_[c] ..]
    std::vector<std::int32_t> members_;
};

}  // namespace massnet
