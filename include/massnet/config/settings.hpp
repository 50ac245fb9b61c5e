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
    double fs = 1000.0;                        ///< sampling rate [Hz]
    double duration = 1.0;                     ///< simulated time [s]
    std::uint64_t seed = 1;                    ///< seed of the initial history
    std::string initial;                       ///< optional N x T initial history (.npy or .h5)
    Precision precision = Precision::float64;  ///< storage of the weights
};

struct OutputSettings {
    std::string file = "massnet-simulation.h5";
    std::int64_t every = 1;  ///< record every k-th step
    /// Sources to record: empty (all), a list "0, 5, 17", or "sphere x y z radius" [m].
    std::string sources;
    bool mean = false;  ///< record the mean over all sources instead of each source
};

enum class DriveShape { pulse, sine };

/// The external drive I_i(n): a constant, a stimulus on a sphere of sources, and a file.
struct DriveSettings {
    double constant = 0.0;       ///< added to every source at every step
    std::vector<double> center;  ///< stimulus centre (x, y, z) [m]; empty: no stimulus
    double radius = 0.0;         ///< sources within this of the centre are stimulated [m]
    double onset = 0.0;          ///< [s]
    double length = 0.0;         ///< [s]
    DriveShape shape = DriveShape::pulse;
    double amplitude = 0.0;
    double frequency = 0.0;  ///< pulses per second, or the sine's [Hz]; 0: one pulse
    std::string file;        ///< .h5: drive (steps x N), or sources (K) + drive (steps x K)
};

struct NoiseSettings {
    double sigma = 0.0;      ///< standard deviation of the white noise added to h
    std::uint64_t seed = 1;  ///< xi_i(n) depends on (seed, i, n) only
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
    DriveSettings drive;
    NoiseSettings noise;
};

/// Steps simulated: round(duration * fs).
std::int64_t step_count(const SimulationSettings& s);

}  // namespace massnet
