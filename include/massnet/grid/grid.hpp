#pragma once
// Source positions: read from a user's file or generated as the built-in ellipsoid grid.
#include <massnet/config/settings.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace massnet {

/// N source positions [m], stored x0 y0 z0 x1 y1 z1 ...
struct Positions {
    std::vector<double> xyz;
    std::int64_t size() const { return static_cast<std::int64_t>(xyz.size() / 3); }
    const double* operator[](std::int64_t i) const { return xyz.data() + 3 * i; }
};

/// Semi-axes of the built-in grid's ellipsoid [m]: an adult brain's size.
inline constexpr std::array<double, 3> builtin_semi_axes{0.075, 0.090, 0.065};

/// A regular cubic grid of `spacing` [m], centred on the origin and clipped to the ellipsoid of
/// `builtin_semi_axes`; deterministic (about 4,000 sources at 7.7 mm).
Positions builtin_grid(double spacing);

/// Reads positions from `grid.file` (.npy, .h5 or text) or builds the built-in grid when it is
/// empty. Every defect, NaN, infinity and an empty grid are InputErrors naming grid.file.
Positions load_grid(const GridSettings& grid);

/// Parses a text grid: one source per line, three numbers separated by commas or spaces; blank
/// lines and lines starting with '#' are skipped. `what` names the source in messages.
Positions parse_text_grid(std::string_view text, const std::string& what);

/// Throws InputError (naming `what`) for an empty grid or a non-finite coordinate.
void check_positions(const Positions& positions, const std::string& what);

}  // namespace massnet
