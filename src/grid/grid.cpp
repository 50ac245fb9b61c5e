#include <massnet/error.hpp>
#include <massnet/grid/grid.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/io/npy.hpp>

#include <charconv>
#include <cmath>
#include <filesystem>

#include "util/files.hpp"

namespace massnet {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Positions from_array(std::vector<double> data, const std::vector<std::size_t>& shape,
                     const std::string& what) {
    if (shape.size() != 2 || shape[1] != 3) {
        std::string seen = "(";
        for (std::size_t i = 0; i < shape.size(); ++i)
            seen += (i ? ", " : "") + std::to_string(shape[i]);
        throw InputError(what + ": positions have shape " + seen + ") (allowed: (N, 3))");
    }
    return Positions{std::move(data)};
}

}  // namespace

Positions builtin_grid(double spacing) {
    if (!(spacing > 0) || !std::isfinite(spacing))
        throw InputError("grid.spacing: " + std::to_string(spacing) +
                         " is out of range (allowed: > 0)");
    Positions grid;
    std::array<std::int64_t, 3> half{};
    for (int a = 0; a < 3; ++a)
        half[a] = static_cast<std::int64_t>(builtin_semi_axes[a] / spacing);
    for (std::int64_t i = -half[0]; i <= half[0]; ++i)
        for (std::int64_t j = -half[1]; j <= half[1]; ++j)
            for (std::int64_t k = -half[2]; k <= half[2]; ++k) {
                double p[3] = {i * spacing, j * spacing, k * spacing};
                double r = 0;
                for (int a = 0; a < 3; ++a)
                    r += (p[a] / builtin_semi_axes[a]) * (p[a] / builtin_semi_axes[a]);
                if (r <= 1.0) grid.xyz.insert(grid.xyz.end(), p, p + 3);
            }
    return grid;
}

Positions parse_text_grid(std::string_view text, const std::string& what) {
    Positions grid;
    std::size_t line_number = 0;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        ++line_number;
        auto first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos || line[first] == '#') continue;
        std::vector<double> values;
        std::size_t pos = 0;
        while (pos < line.size()) {
            while (pos < line.size() &&
                   (line[pos] == ' ' || line[pos] == '\t' || line[pos] == ',' || line[pos] == '\r'))
                ++pos;
            if (pos >= line.size()) break;
            std::size_t stop = line.find_first_of(" \t,\r", pos);
            if (stop == std::string_view::npos) stop = line.size();
            std::string_view token = line.substr(pos, stop - pos);
            double value = 0;
            const char* b = token.data();
            if (*b == '+') ++b;
            auto [p, ec] = std::from_chars(b, token.data() + token.size(), value);
            if (ec != std::errc() || p != token.data() + token.size())
                throw InputError(what + ": line " + std::to_string(line_number) + ": '" +
                                 std::string(token) + "' is not a number");
            values.push_back(value);
            pos = stop;
        }
        if (values.size() != 3)
            throw InputError(what + ": line " + std::to_string(line_number) + " has " +
                             std::to_string(values.size()) + " numbers (allowed: 3, x y z)");
        grid.xyz.insert(grid.xyz.end(), values.begin(), values.end());
    }
    return grid;
}

void check_positions(const Positions& positions, const std::string& what) {
    if (positions.size() == 0)
        throw InputError(what + ": the grid holds no sources (allowed: at least 1)");
    for (std::size_t i = 0; i < positions.xyz.size(); ++i)
        if (!std::isfinite(positions.xyz[i]))
            throw InputError(what + ": source " + std::to_string(i / 3) +
                             " has a non-finite coordinate (" + std::to_string(positions.xyz[i]) +
                             "; allowed: finite numbers)");
}

Positions load_grid(const GridSettings& grid) {
    if (grid.file.empty()) return builtin_grid(grid.spacing);
    const std::string what = "grid.file '" + grid.file + "'";
    Positions positions;
    if (ends_with(grid.file, ".npy")) {
        io::NpyArray array = io::read_npy(grid.file, what);
        positions = from_array(std::move(array.data), array.shape, what);
    } else if (ends_with(grid.file, ".h5") || ends_with(grid.file, ".hdf5")) {
        io::Handle file = io::open_for_reading(grid.file, "grid.file");
        auto array = io::read_doubles(file.id(), grid.dataset, what + " (grid.dataset)");
        positions = from_array(std::move(array.data), {array.dims.begin(), array.dims.end()}, what);
    } else {
        positions = parse_text_grid(util::read_whole_file(grid.file, "grid.file"), what);
    }
    check_positions(positions, what);
    return positions;
}

}  // namespace massnet
