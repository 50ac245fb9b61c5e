#include <massnet/mlp/transfer.hpp>

namespace massnet::mlp {

std::optional<TransferKind> transfer_named(const std::string& name) {
    if (name == "logistic") return TransferKind::logistic;
    if (name == "gauss") return TransferKind::gauss;
    return std::nullopt;
}

std::string name_of(TransferKind kind) {
    return kind == TransferKind::logistic ? "logistic" : "gauss";
}

}  // namespace massnet::mlp
