#pragma once
// The transfer functions of the teaching utilities: the logistic and the Gaussian radial basis
// function, each with the slope a of its argument.
#include <cmath>
#include <optional>
#include <string>

namespace massnet::mlp {

enum class TransferKind { logistic, gauss };

struct Transfer {
    TransferKind kind = TransferKind::logistic;
    double slope = 1.0;  ///< a

    /// logistic: f(h) = 1 / (1 + exp(-a h)); gauss: f(h) = exp(-(a h)^2)
    double value(double h) const {
        if (kind == TransferKind::logistic) return 1.0 / (1.0 + std::exp(-slope * h));
        double ah = slope * h;
        return std::exp(-ah * ah);
    }

    /// f'(h), given y = f(h). logistic: a (y - y^2); gauss: -2 a^2 h exp(-(a h)^2)
    double derivative(double h, double y) const {
        if (kind == TransferKind::logistic) return slope * (y - y * y);
        return -2.0 * slope * slope * h * y;
    }
};

/// "logistic" or "gauss"; nothing for any other name.
std::optional<TransferKind> transfer_named(const std::string& name);
std::string name_of(TransferKind kind);

}  // namespace massnet::mlp
