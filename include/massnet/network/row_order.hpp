#pragma once
// The order in which a process stores and walks its target rows.
//
// A target reads each source's history at the delay between them, so targets close together on
// the head find the same sources in the same delay slice. Storing the rows in the Z order (Morton
// order) of their positions makes consecutive rows neighbours on the head, so a pass over one
// slice reads a source's history window for several rows in a row while it is still in cache,
// whatever order the grid lists its sources in.
#include <massnet/grid/grid.hpp>

#include <cstdint>
#include <vector>

namespace massnet {

/// The rows [begin, end) as local indices (0 .. end - begin - 1) in the Z order of their
/// positions, each coordinate scaled to 21 bits over the rows' bounding box; ties keep the index
/// order. Depends only on the positions of those rows.
std::vector<std::int32_t> z_order(const Positions& positions, std::int64_t begin, std::int64_t end);

}  // namespace massnet
