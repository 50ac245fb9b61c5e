#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/samples.hpp>

namespace massnet::mlp {

std::optional<Task> task_named(const std::string& name) {
    if (name == "and") return Task::and_gate;
    if (name == "or") return Task::or_gate;
    if (name == "xor") return Task::xor_gate;
    return std::nullopt;
}

std::string name_of(Task task) {
    switch (task) {
        case Task::and_gate:
            return "and";
        case Task::or_gate:
            return "or";
        case Task::xor_gate:
            return "xor";
    }
    return "";
}

double target_of(Task task, double x0, double x1) {
    bool a = x0 != 0.0;
    bool b = x1 != 0.0;
    switch (task) {
        case Task::and_gate:
            return a && b ? 1.0 : 0.0;
        case Task::or_gate:
            return a || b ? 1.0 : 0.0;
        case Task::xor_gate:
            return a != b ? 1.0 : 0.0;
    }
    return 0.0;
}

const std::array<std::array<double, 2>, 4>& gate_inputs() {
    static const std::array<std::array<double, 2>, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
    return inputs;
}

Pattern draw_pattern(Task task, Rng& rng) {
    // The top bit of each draw: 0 or 1 with equal chance.
    double x0 = static_cast<double>(rng() >> 63);
    double x1 = static_cast<double>(rng() >> 63);
    return Pattern{{x0, x1}, target_of(task, x0, x1)};
}

Samples Samples::first(std::size_t count) const {
    return Samples{
        width,
        target_width,
        {inputs.begin(), inputs.begin() + static_cast<std::ptrdiff_t>(count * width)},
        {targets.begin(), targets.begin() + static_cast<std::ptrdiff_t>(count * target_width)}};
}

Samples draw_samples(Task task, std::size_t count, Rng& rng) {
    Samples samples{2, 1, {}, {}};
    samples.inputs.reserve(2 * count);
    samples.targets.reserve(count);
    for (std::size_t n = 0; n < count; ++n) {
        Pattern p = draw_pattern(task, rng);
        samples.inputs.insert(samples.inputs.end(), p.x.begin(), p.x.end());
        samples.targets.push_back(p.target);
    }
    return samples;
}

Samples read_samples(hid_t file, const std::string& what) {
    auto x = io::read_doubles(file, "inputs", what);
    auto o = io::read_doubles(file, "targets", what);
    if (x.rank() != 2 || x.dims[0] == 0 || x.dims[1] == 0)
        throw InputError(what + ": 'inputs' must be a matrix with one row per iteration");
    if (o.rank() < 1 || o.rank() > 2 || o.dims[0] != x.dims[0])
        throw InputError(what + ": 'targets' must have one row per row of 'inputs' (" +
                         std::to_string(x.dims[0]) + "), as (n,) or (n, m)");
    std::size_t target_width = o.rank() == 2 ? o.dims[1] : 1;
    if (target_width == 0) throw InputError(what + ": 'targets' has no columns");
    return Samples{x.dims[1], target_width, std::move(x.data), std::move(o.data)};
}

void write_samples(hid_t file, const Samples& samples, bool flat_targets) {
    hsize_t n = samples.count();
    io::write_doubles(file, "inputs", samples.inputs, {n, samples.width});
    if (flat_targets)
        io::write_doubles(file, "targets", samples.targets, {n});
    else
        io::write_doubles(file, "targets", samples.targets, {n, samples.target_width});
}

}  // namespace massnet::mlp
