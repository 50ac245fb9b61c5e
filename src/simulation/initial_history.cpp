#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/io/npy.hpp>
#include <massnet/simulation/initial_history.hpp>
#include <massnet/simulation/random.hpp>

#include <cmath>

namespace massnet {
namespace {

std::string shape_text(const std::vector<std::size_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + ")";
}

std::vector<double> read_history(const std::string& path, std::int64_t n, std::int64_t t) {
    const std::string what = "simulation.initial '" + path + "'";
    std::vector<std::size_t> shape;
    std::vector<double> values;
    if (path.size() > 4 && path.substr(path.size() - 4) == ".npy") {
        auto array = io::read_npy(path, what);
        shape = array.shape;
        values = std::move(array.data);
    } else {
        io::Handle file = io::open_for_reading(path, "simulation.initial");
        auto array = io::read_doubles(file.id(), "initial_history", what);
        shape.assign(array.dims.begin(), array.dims.end());
        values = std::move(array.data);
    }
    if (shape != std::vector<std::size_t>{static_cast<std::size_t>(n), static_cast<std::size_t>(t)})
        throw InputError(what + ": history has shape " + shape_text(shape) + " (allowed: (" +
                         std::to_string(n) + ", " + std::to_string(t) +
                         "), sources x longest delay T)");
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            throw InputError(what + ": value at source " + std::to_string(i / t) + ", column " +
                             std::to_string(i % t) + " is " + std::to_string(values[i]) +
                             " (allowed: finite numbers)");
    return values;
}

}  // namespace

std::vector<double> initial_history(const SimulationSettings& settings, std::int64_t sources,
                                    std::int64_t max_delay) {
    if (!settings.initial.empty()) return read_history(settings.initial, sources, max_delay);
    std::vector<double> history(static_cast<std::size_t>(sources * max_delay));
#pragma omp parallel for schedule(static)
    for (std::int64_t j = 0; j < sources; ++j)
        for (std::int64_t k = 0; k < max_delay; ++k)
            history[j * max_delay + k] =
                random_uniform(settings.seed, RandomStream::initial_history,
                               static_cast<std::uint64_t>(j), static_cast<std::uint64_t>(k));
    return history;
}

}  // namespace massnet
