#pragma once
// What enters h besides the coupling: the external drive I_i(n) and the noise sigma xi_i(n),
//   h_i(n) = sum_j W0_ij y_j(n - d_ij) + I_i(n) + sigma xi_i(n).
#include <massnet/config/settings.hpp>
#include <massnet/grid/grid.hpp>

#include <cstdint>
#include <vector>

namespace massnet {

class ExternalInput {
  public:
    /// No drive and no noise.
    ExternalInput() = default;
    /// Reads a drive file if set (every defect an InputError naming drive.file) and precomputes
    /// the stimulus' time course over the run's `steps`.
    ExternalInput(const DriveSettings& drive, const NoiseSettings& noise,
                  const Positions& positions, double fs, std::int64_t steps);

    /// False when drive and noise are both zero: h is then the coupling alone, bit for bit.
    bool active() const { return active_; }
    /// I_i(n) + sigma xi_i(n) for source i at step n.
    double at(std::int64_t source, std::int64_t step) const;
    /// The sources the stimulus reaches.
    std::int64_t stimulated() const;

  private:
    bool active_ = false;
    double constant_ = 0;
    std::vector<char> stimulated_;           // per source
    std::vector<double> course_;             // stimulus per step
    std::vector<double> file_;               // steps x columns from the drive file
    std::vector<std::int64_t> file_column_;  // per source, -1 when the file does not drive it
    std::int64_t file_columns_ = 0;
    NoiseSettings noise_;
};

}  // namespace massnet
