#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/network.hpp>

namespace massnet::mlp {
namespace {

std::string shape_text(const std::vector<hsize_t>& dims) {
    if (dims.empty()) return "a scalar";
    std::string text;
    for (std::size_t i = 0; i < dims.size(); ++i)
        text += (i ? " x " : "") + std::to_string(dims[i]);
    return text;
}

// Layer l of the file, checked against the n_{l-1} inputs it must take (0: any).
Layer read_layer(hid_t file, const std::string& prefix, std::size_t inputs,
                 const std::string& what) {
    auto w = io::read_doubles(file, prefix + "/weights", what);
    auto b = io::read_doubles(file, prefix + "/bias", what);
    if (w.rank() != 2)
        throw InputError(what + ": " + prefix + "/weights is " + shape_text(w.dims) +
                         "; it must be a matrix n_l x n_(l-1)");
    if (inputs != 0 && w.dims[1] != inputs)
        throw InputError(what + ": " + prefix + "/weights is " + shape_text(w.dims) +
                         " but the layer before has " + std::to_string(inputs) + " neurons");
    if (b.rank() != 1 || b.dims[0] != w.dims[0])
        throw InputError(what + ": " + prefix + "/bias is " + shape_text(b.dims) +
                         "; it must hold " + std::to_string(w.dims[0]) +
                         " values, one per row of the weights");
    return Layer{w.dims[1], w.dims[0], std::move(w.data), std::move(b.data)};
}

}  // namespace

std::vector<std::size_t> Network::sizes() const {
    std::vector<std::size_t> sizes{inputs()};
    for (const auto& layer : layers)
        sizes.push_back(layer.outputs);
    return sizes;
}

Network random_network(const std::vector<std::size_t>& sizes, Rng& rng) {
    Network net;
    for (std::size_t l = 1; l < sizes.size(); ++l) {
        Layer layer{sizes[l - 1], sizes[l], std::vector<double>(sizes[l] * sizes[l - 1]),
                    std::vector<double>(sizes[l])};
        for (double& w : layer.weights)
            w = standard_normal(rng);
        for (double& b : layer.bias)
            b = standard_normal(rng);
        net.layers.push_back(std::move(layer));
    }
    return net;
}

std::span<const double> forward(const Network& net, const Transfer& f,
                                std::span<const double> input, Pass& pass) {
    std::size_t depth = net.layers.size();
    pass.x.resize(depth + 1);
    pass.h.resize(depth);
    pass.x[0].assign(input.begin(), input.end());
    for (std::size_t l = 0; l < depth; ++l) {
        const Layer& layer = net.layers[l];
        const auto& x = pass.x[l];
        auto& h = pass.h[l];
        auto& y = pass.x[l + 1];
        h.resize(layer.outputs);
        y.resize(layer.outputs);
        // h = W x - b, y = f(h)
        for (std::size_t i = 0; i < layer.outputs; ++i) {
            double sum = 0.0;
            for (std::size_t j = 0; j < layer.inputs; ++j)
                sum += layer.weight(i, j) * x[j];
            h[i] = sum - layer.bias[i];
            y[i] = f.value(h[i]);
        }
    }
    return pass.x.back();
}

std::vector<double> output(const Network& net, const Transfer& f, std::span<const double> input) {
    Pass pass;
    auto y = forward(net, f, input, pass);
    return {y.begin(), y.end()};
}

Network read_network(hid_t file, const std::string& group, const std::string& what) {
    if (!io::has_object(file, group + "/0"))
        throw InputError(what + ": no network in group '" + group + "' (expected " + group +
                         "/0/weights, " + group + "/0/bias, ..)");
    Network net;
    for (std::size_t l = 0; io::has_object(file, group + "/" + std::to_string(l)); ++l) {
        std::size_t inputs = net.layers.empty() ? 0 : net.outputs();
        net.layers.push_back(read_layer(file, group + "/" + std::to_string(l), inputs, what));
    }
    return net;
}

void write_network(hid_t file, const std::string& group, const Network& net) {
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const Layer& layer = net.layers[l];
        std::string prefix = group + "/" + std::to_string(l);
        io::write_doubles(file, prefix + "/weights", layer.weights, {layer.outputs, layer.inputs});
        io::write_doubles(file, prefix + "/bias", layer.bias, {layer.outputs});
    }
}

std::string sizes_name(const std::vector<std::size_t>& sizes) {
    std::string name;
    for (std::size_t i = 0; i < sizes.size(); ++i)
        name += (i ? "-" : "") + std::to_string(sizes[i]);
    return name;
}

}  // namespace massnet::mlp
