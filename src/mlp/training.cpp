#include <massnet/mlp/training.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace massnet::mlp {

Trainer::Trainer(const Network& net, Transfer f, double rate) : f_(f), rate_(rate) {
    std::size_t widest = 0;
    for (const auto& layer : net.layers)
        widest = std::max({widest, layer.inputs, layer.outputs});
    delta_.reserve(widest);
    back_.reserve(widest);
}

double Trainer::step(Network& net, std::span<const double> x, std::span<const double> o) {
    auto y = forward(net, f_, x, pass_);

    // Output layer: delta_L = (y - o) f'(h_L); e = 1/2 |y - o|^2
    std::size_t depth = net.layers.size();
    double error = 0.0;
    delta_.resize(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        double miss = y[i] - o[i];
        error += miss * miss;
        delta_[i] = miss * f_.derivative(pass_.h[depth - 1][i], y[i]);
    }

    // Backwards through the layers, each delta from the weights before their update.
    for (std::size_t l = depth; l-- > 0;) {
        Layer& layer = net.layers[l];
        const auto& input = pass_.x[l];
        back_.assign(layer.inputs, 0.0);
        for (std::size_t i = 0; i < layer.outputs; ++i)
            for (std::size_t j = 0; j < layer.inputs; ++j)
                back_[j] += layer.weight(i, j) * delta_[i];  // W^T delta
        for (std::size_t i = 0; i < layer.outputs; ++i) {
            for (std::size_t j = 0; j < layer.inputs; ++j)
                layer.weight(i, j) -= rate_ * (delta_[i] * input[j]);
            layer.bias[i] += rate_ * delta_[i];
        }
        if (l == 0) break;
        delta_.resize(layer.inputs);
        for (std::size_t j = 0; j < layer.inputs; ++j)
            delta_[j] = back_[j] * f_.derivative(pass_.h[l - 1][j], input[j]);
    }
    return 0.5 * error;
}

std::vector<double> train(Network& net, const Transfer& f, double rate, const Samples& samples) {
    Trainer trainer(net, f, rate);
    std::vector<double> errors(samples.count());
    for (std::size_t n = 0; n < samples.count(); ++n)
        errors[n] = trainer.step(net, samples.input(n), samples.target(n));
    return errors;
}

std::vector<TruthRow> truth_table(const Network& net, const Transfer& f, const Samples& patterns) {
    std::vector<TruthRow> rows;
    for (std::size_t n = 0; n < patterns.count(); ++n) {
        auto x = patterns.input(n);
        auto o = patterns.target(n);
        TruthRow row{{x.begin(), x.end()}, {o.begin(), o.end()}, output(net, f, x), 0.0};
        for (std::size_t k = 0; k < o.size(); ++k)
            row.error += 0.5 * (row.output[k] - o[k]) * (row.output[k] - o[k]);
        rows.push_back(std::move(row));
    }
    return rows;
}

Samples gate_patterns(Task task) {
    Samples patterns{2, 1, {}, {}};
    for (const auto& x : gate_inputs()) {
        patterns.inputs.insert(patterns.inputs.end(), x.begin(), x.end());
        patterns.targets.push_back(target_of(task, x[0], x[1]));
    }
    return patterns;
}

Samples distinct_patterns(const Samples& samples, std::size_t limit) {
    std::map<std::vector<double>, std::vector<double>> first_target;
    for (std::size_t n = 0; n < samples.count() && first_target.size() < limit; ++n) {
        auto x = samples.input(n);
        auto o = samples.target(n);
        first_target.try_emplace({x.begin(), x.end()}, o.begin(), o.end());
    }
    Samples patterns{samples.width, samples.target_width, {}, {}};
    for (const auto& [x, o] : first_target) {
        patterns.inputs.insert(patterns.inputs.end(), x.begin(), x.end());
        patterns.targets.insert(patterns.targets.end(), o.begin(), o.end());
    }
    return patterns;
}

double max_pattern_error(const Network& net, const Transfer& f, const Samples& patterns,
                         Pass& pass) {
    double worst = 0.0;
    for (std::size_t n = 0; n < patterns.count(); ++n) {
        auto y = forward(net, f, patterns.input(n), pass);
        auto o = patterns.target(n);
        for (std::size_t k = 0; k < y.size(); ++k)
            worst = std::max(worst, std::abs(y[k] - o[k]));
    }
    return worst;
}

}  // namespace massnet::mlp
