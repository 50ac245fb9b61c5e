#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/neuron.hpp>

namespace massnet::mlp {

Neuron random_neuron(std::size_t inputs, Rng& rng) {
    Neuron neuron{std::vector<double>(inputs), 0.0};
    for (double& w : neuron.weights)
        w = standard_normal(rng);
    neuron.bias = standard_normal(rng);
    return neuron;
}

Network as_network(const Neuron& neuron) {
    std::size_t inputs = neuron.weights.size();
    return Network{{Layer{inputs, 1, neuron.weights, {neuron.bias}}}};
}

Neuron as_neuron(const Network& net) {
    const Layer& layer = net.layers.front();
    return Neuron{layer.weights, layer.bias.front()};
}

Neuron read_neuron(hid_t file, const std::string& group, const std::string& what) {
    auto w = io::read_doubles(file, group + "/weights", what);
    auto b = io::read_doubles(file, group + "/bias", what);
    if (w.rank() != 1 || w.data.empty())
        throw InputError(what + ": " + group + "/weights must be a vector of the neuron's weights");
    if (b.data.size() != 1) throw InputError(what + ": " + group + "/bias must be a single value");
    return Neuron{std::move(w.data), b.data.front()};
}

void write_neuron(hid_t file, const std::string& group, const Neuron& neuron) {
    io::write_doubles(file, group + "/weights", neuron.weights, {neuron.weights.size()});
    io::write_doubles(file, group + "/bias", {neuron.bias}, {});
}

}  // namespace massnet::mlp
