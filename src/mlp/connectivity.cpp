#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/connectivity.hpp>

#include <numeric>

namespace massnet::mlp {
namespace {

std::size_t sum_of(const std::vector<std::size_t>& sizes) {
    return std::accumulate(sizes.begin(), sizes.end(), std::size_t{0});
}

std::vector<std::size_t> read_layers_attribute(hid_t group, const std::string& what) {
    if (!io::has_attribute(group, "layers"))
        throw InputError(what +
                         ": /connectivity has no 'layers' attribute (the neurons per layer)");
    std::vector<std::size_t> layers;
    for (std::int64_t n : io::read_int64s_attribute(group, "layers")) {
        if (n <= 0)
            throw InputError(what + ": /connectivity 'layers' holds " + std::to_string(n) +
                             "; every layer needs at least one neuron");
        layers.push_back(static_cast<std::size_t>(n));
    }
    if (layers.size() < 2)
        throw InputError(what + ": /connectivity 'layers' must name at least two layers");
    return layers;
}

}  // namespace

Connectivity connectivity_of(const Network& net) {
    Connectivity a;
    a.layers = net.sizes();
    std::size_t m = sum_of(a.layers);
    a.matrix.assign(m * m, 0.0);
    a.bias.assign(m, 0.0);
    // Layer l's block of rows starts where layer l - 1's block of columns ends.
    std::size_t from = 0;
    for (const Layer& layer : net.layers) {
        std::size_t to = from + layer.inputs;
        for (std::size_t i = 0; i < layer.outputs; ++i) {
            for (std::size_t j = 0; j < layer.inputs; ++j)
                a.matrix[(to + i) * m + from + j] = layer.weight(i, j);
            a.bias[to + i] = layer.bias[i];
        }
        from = to;
    }
    return a;
}

std::vector<double> propagate(const Connectivity& a, const Transfer& f,
                              std::span<const double> input, std::size_t steps) {
    std::size_t m = a.size();
    std::vector<double> states((steps + 1) * m, 0.0);
    std::copy(input.begin(), input.end(), states.begin());
    for (std::size_t t = 0; t < steps; ++t) {
        const double* s = &states[t * m];
        double* next = &states[(t + 1) * m];
        // s(t + 1) = f(A s(t) - c)
        for (std::size_t i = 0; i < m; ++i) {
            double sum = 0.0;
            for (std::size_t j = 0; j < m; ++j)
                sum += a.matrix[i * m + j] * s[j];
            next[i] = f.value(sum - a.bias[i]);
        }
    }
    return states;
}

Connectivity read_connectivity(hid_t file, const std::string& what) {
    if (!io::has_object(file, "connectivity"))
        throw InputError(what + ": no /connectivity group in the file");
    io::Handle group(H5Gopen2(file, "connectivity", H5P_DEFAULT));
    if (!group.valid()) throw InputError(what + ": /connectivity is not a group");
    auto matrix = io::read_doubles(file, "connectivity/matrix", what);
    auto bias = io::read_doubles(file, "connectivity/bias", what);
    if (matrix.rank() != 2 || matrix.dims[0] != matrix.dims[1] || matrix.dims[0] == 0)
        throw InputError(what + ": /connectivity/matrix must be square (M x M); it has " +
                         std::to_string(matrix.rank()) + " dimensions, " +
                         std::to_string(matrix.dims.empty() ? 0 : matrix.dims[0]) + " x " +
                         std::to_string(matrix.rank() < 2 ? 0 : matrix.dims[1]));
    std::size_t m = matrix.dims[0];
    if (bias.rank() != 1 || bias.dims[0] != m)
        throw InputError(what + ": /connectivity/bias has " + std::to_string(bias.data.size()) +
                         " values; it must have one per row of the matrix, " + std::to_string(m));
    auto layers = read_layers_attribute(group.id(), what);
    if (sum_of(layers) != m)
        throw InputError(what + ": /connectivity 'layers' add up to " +
                         std::to_string(sum_of(layers)) + " neurons, but the matrix is " +
                         std::to_string(m) + " x " + std::to_string(m));
    return Connectivity{std::move(layers), std::move(matrix.data), std::move(bias.data)};
}

void write_connectivity(hid_t file, const Connectivity& a) {
    hsize_t m = a.size();
    io::write_doubles(file, "connectivity/matrix", a.matrix, {m, m});
    io::write_doubles(file, "connectivity/bias", a.bias, {m});
    io::Handle group = io::create_group(file, "connectivity");
    io::write_attribute(group.id(), "inputs", static_cast<std::int64_t>(a.inputs()));
    io::write_attribute(group.id(), "outputs", static_cast<std::int64_t>(a.outputs()));
    io::write_attribute(group.id(), "layers",
                        std::vector<std::int64_t>(a.layers.begin(), a.layers.end()));
}

bool has_connectivity(hid_t file) {
    if (!io::has_object(file, "connectivity/matrix")) return false;
    io::Handle group(H5Gopen2(file, "connectivity", H5P_DEFAULT));
    return group.valid() && io::has_attribute(group.id(), "layers");
}

}  // namespace massnet::mlp
