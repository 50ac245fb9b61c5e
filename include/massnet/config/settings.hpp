#pragma once
// Plain settings of a simulation, one small struct per config section. Nothing here knows how
// they were read; config.hpp fills them from INI files and the command line.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace massnet {

struct GridSettings {
    std::string file;                   ///< .npy, .h5 or text; empty: the built-in grid
    std::string dataset = "positions";  ///< dataset name in an .h5 grid file
    double spacing = 0.0077;            ///< built-in grid spacing [m]
};

struct WeightSettings {
    std::vector<double> amplitudes{0.03, -0.25};  ///< a_k of W0 = sum_k a_k exp(-b_k D)
    std::vector<double> decays{10.0, 50.0};       ///< b_k [1/m]
    double max_distance = std::numeric_limits<double>::infinity();  ///< drop farther pairs [m]
    double min_weight = 0.0;  ///< drop pairs with |W0| below this
};

enum class Rounding { nearest, floor, ceil };

struct DelaySettings {
    double speed = 0.5;       ///< conduction speed c [m/s]
    double synaptic = 0.002;  ///< synaptic delay t0 [s]
    Rounding rounding = Rounding::nearest;
};

struct TransferSettings {
    double slope = 1.0;      ///< a of f(h) = 1 / (1 + exp(-a (h - theta)))
    double threshold = 0.0;  ///< theta
};

enum class Precision { float64, float32 };

struct SimulationSettings {
    double fs = 1000.0;         ///< sampling rate [Hz]
    double duration = 1.0;      ///< simulated time [s]
    std::uint64_t seed = 1;     ///< seed of the initial history
    std::string initial;        ///< optional N x T initial history (.npy or .h5)
    Precision precision = Precision::float64;  ///< storage of the weights
};

struct OutputSettings {
    std::string file = "massnet-simulation.h5";
    std::int64_t every = 1;  ///< record every k-th step
};

struct CheckpointSettings {
    std::string file;    ///< HDF5 checkpoint; empty: no checkpoints
    double every = 0.0;  ///< wall-clock seconds between checkpoints; 0: only on signals
};

struct Settings {
    GridSettings grid;
    WeightSettings weights;
    DelaySettings delays;
    TransferSettings transfer;
    SimulationSettings simulation;
    OutputSettings output;
    CheckpointSettings checkpoint;
};

/// Steps simulated: round(duration * fs).
std::int64_t step_count(const SimulationSettings& s);

}  // namespace massnet
