// Fuzzes the sweep reader and its expansion into runs: the input is the text of a sweep file
// (a config file with a [sweep] section). Relative input paths start at a folder that does not
// exist, so no run may find its input files except through absolute paths.
#include <massnet/sweep/sweep.hpp>

#include <algorithm>
#include <string>

#include "fuzz_support.hpp"

namespace {

// Expansion parses one config per run and allows 10,000 runs, seconds of work by design; larger
// sweeps are only parsed, so that a slow input means a defect.
constexpr std::size_t max_expanded_runs = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(fuzz::as_text(data, size));
    fuzz::expect_clean([&] {
        namespace sweep = massnet::sweep;
        sweep::SweepFile file = sweep::parse_sweep(text, "fuzz.ini", "/nonexistent-sweep-folder");
        if (file.axes.empty()) fuzz::finding("sweep: a sweep without axes was accepted");
        std::size_t product = 1;
        for (const sweep::Axis& axis : file.axes) {
            if (axis.values.empty()) fuzz::finding("sweep: an axis without values was accepted");
            product *= std::min(axis.values.size(), max_expanded_runs + 1);
            product = std::min(product, max_expanded_runs + 1);
        }
        if (product > max_expanded_runs) return;

        std::vector<sweep::Run> runs = sweep::expand(file);

        // One run per point of the product, numbered in order, each writing its own output.
        if (runs.size() != product) fuzz::finding("sweep: run count differs from the product");
        for (std::size_t i = 0; i < runs.size(); ++i) {
            if (runs[i].index != static_cast<int>(i)) fuzz::finding("sweep: runs out of order");
            if (runs[i].settings.output.file != sweep::run_output(runs[i].index))
                fuzz::finding("sweep: a run does not write its own output file");
        }
        std::string manifest = sweep::manifest_csv(file, runs);
        if (static_cast<std::size_t>(std::count(manifest.begin(), manifest.end(), '\n')) !=
            runs.size() + 1)
            fuzz::finding("sweep: the manifest does not hold a header and one line per run");
    });
    return 0;
}
