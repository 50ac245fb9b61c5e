#include <massnet/mlp/random.hpp>

namespace massnet::mlp {

Rng stream_rng(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    auto low = [](std::uint64_t v) { return static_cast<std::uint32_t>(v); };
    auto high = [](std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); };
    std::seed_seq words{low(seed), high(seed), low(a), high(a), low(b), high(b)};
    return Rng(words);
}

double standard_normal(Rng& rng) {
    return std::normal_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace massnet::mlp
