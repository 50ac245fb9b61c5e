#include <massnet/simulation/random.hpp>

#include <cmath>
#include <numbers>

namespace massnet {
namespace {

// The finaliser of SplitMix64: a bijection of 64-bit words with full avalanche.
std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

std::uint64_t random_bits(std::uint64_t seed, RandomStream stream, std::uint64_t a,
                          std::uint64_t b) {
    constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;
    std::uint64_t h = mix(seed + golden);
    h = mix(h ^ (static_cast<std::uint64_t>(stream) + golden));
    h = mix(h ^ (a + golden));
    return mix(h ^ (b + golden));
}

double random_normal(std::uint64_t seed, RandomStream stream, std::uint64_t a, std::uint64_t b) {
    std::uint64_t bits = random_bits(seed, stream, a, b);
    std::uint64_t more = mix(bits ^ 0xd1b54a32d192ed03ULL);
    double u1 = (static_cast<double>(bits >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    double u2 = static_cast<double>(more >> 11) * 0x1.0p-53;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace massnet
