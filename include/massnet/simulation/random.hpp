#pragma once
// Counter-based random numbers: each value is a pure function of (seed, stream, a, b), so that
// it does not depend on which process or thread draws it, nor in which order.
#include <cstdint>

namespace massnet {

/// Streams keep the uses of one seed apart.
enum class RandomStream : std::uint64_t { initial_history = 1, noise = 2 };

/// 64 well-mixed bits of (seed, stream, a, b).
std::uint64_t random_bits(std::uint64_t seed, RandomStream stream, std::uint64_t a,
                          std::uint64_t b);

/// Uniform on [0, 1), with 53 random bits.
inline double random_uniform(std::uint64_t seed, RandomStream stream, std::uint64_t a,
                             std::uint64_t b) {
    return static_cast<double>(random_bits(seed, stream, a, b) >> 11) * 0x1.0p-53;
}

/// Standard normal (Box-Muller on two independent uniforms of the same counter).
double random_normal(std::uint64_t seed, RandomStream stream, std::uint64_t a, std::uint64_t b);

}  // namespace massnet
