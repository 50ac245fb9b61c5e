// Fuzzes the text grid reader and the checks every loaded grid goes through.
#include <massnet/grid/grid.hpp>

#include <cmath>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::expect_clean([&] {
        massnet::Positions grid = massnet::parse_text_grid(fuzz::as_text(data, size), "fuzz");
        if (grid.xyz.size() % 3 != 0) fuzz::finding("text grid: coordinates not in threes");

        massnet::check_positions(grid, "fuzz");

        // A grid that passed the checks is non-empty and finite.
        if (grid.size() < 1) fuzz::finding("text grid: empty grid passed the checks");
        for (double v : grid.xyz)
            if (!std::isfinite(v)) fuzz::finding("text grid: non-finite coordinate passed");
    });
    return 0;
}
