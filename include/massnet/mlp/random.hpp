#pragma once
// The generator behind every random draw of the teaching utilities. A run is fixed by its seed;
// a trial of a study by its seed and its place in the study, whatever thread runs it.
#include <cstdint>
#include <random>

namespace massnet::mlp {

using Rng = std::mt19937_64;

/// The generator of stream (a, b) of `seed`: distinct streams are independent.
Rng stream_rng(std::uint64_t seed, std::uint64_t a = 0, std::uint64_t b = 0);

/// One draw from N(0, 1).
double standard_normal(Rng& rng);

}  // namespace massnet::mlp
