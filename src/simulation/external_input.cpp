#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/network/geometry.hpp>
#include <massnet/simulation/external_input.hpp>
#include <massnet/simulation/random.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace massnet {
namespace {

// The stimulus at each step: one-step pulses every 1 / frequency s from the onset (one pulse when
// the frequency is 0), or a sine, within [onset, onset + length).
std::vector<double> stimulus_course(const DriveSettings& d, double fs, std::int64_t steps) {
    std::vector<double> course(static_cast<std::size_t>(steps), 0.0);
    const auto first = static_cast<std::int64_t>(std::llround(d.onset * fs));
    const auto end =
        std::min(steps, static_cast<std::int64_t>(std::llround((d.onset + d.length) * fs)));
    if (d.shape == DriveShape::sine) {
        for (std::int64_t n = std::max<std::int64_t>(first, 0); n < end; ++n)
            course[n] = d.amplitude * std::sin(2 * std::numbers::pi * d.frequency *
                                               (static_cast<double>(n) / fs - d.onset));
        return course;
    }
    const std::int64_t last = std::max(end, first + 1);  // a pulse of zero length still fires once
    for (std::int64_t k = 0;; ++k) {
        const auto n =
            d.frequency > 0
                ? static_cast<std::int64_t>(std::llround((d.onset + k / d.frequency) * fs))
                : first;
        if (n >= last || n >= steps || (k > 0 && d.frequency <= 0)) break;
        course[n] = d.amplitude;
    }
    return course;
}

}  // namespace

ExternalInput::ExternalInput(const DriveSettings& drive, const NoiseSettings& noise,
                             const Positions& positions, double fs, std::int64_t steps)
    : constant_(drive.constant), noise_(noise) {
    const std::int64_t n = positions.size();
    if (!drive.center.empty() && drive.amplitude != 0) {
        stimulated_.assign(static_cast<std::size_t>(n), 0);
        for (std::int64_t i = 0; i < n; ++i)
            stimulated_[i] = distance(positions[i], drive.center.data()) <= drive.radius;
        course_ = stimulus_course(drive, fs, steps);
    }
    if (!drive.file.empty()) {
        const std::string what = "drive.file '" + drive.file + "'";
        io::Handle file = io::open_for_reading(drive.file, "drive.file");
        auto values = io::read_doubles(file.id(), "drive", what);
        file_column_.assign(static_cast<std::size_t>(n), -1);
        if (io::has_object(file.id(), "sources")) {
            auto sources = io::read_int64s(file.id(), "sources", what);
            if (sources.rank() != 1)
                throw InputError(what + ": 'sources' must be a list of source indices");
            for (std::size_t k = 0; k < sources.data.size(); ++k) {
                std::int64_t i = sources.data[k];
                if (i < 0 || i >= n)
                    throw InputError(what + ": source " + std::to_string(i) +
                                     " is not in the grid (allowed: 0 to " + std::to_string(n - 1) +
                                     ")");
                file_column_[i] = static_cast<std::int64_t>(k);
            }
            file_columns_ = static_cast<std::int64_t>(sources.data.size());
        } else {
            for (std::int64_t i = 0; i < n; ++i)
                file_column_[i] = i;
            file_columns_ = n;
        }
        if (values.rank() != 2 || values.dims[0] != static_cast<hsize_t>(steps) ||
            values.dims[1] != static_cast<hsize_t>(file_columns_))
            throw InputError(what + ": 'drive' has shape (" +
                             (values.rank() == 2 ? std::to_string(values.dims[0]) + ", " +
                                                       std::to_string(values.dims[1])
                                                 : std::to_string(values.rank()) + " dimensions") +
                             ") (allowed: (" + std::to_string(steps) + ", " +
                             std::to_string(file_columns_) + "), steps x driven sources)");
        for (double v : values.data)
            if (!std::isfinite(v)) throw InputError(what + ": 'drive' holds a non-finite value");
        file_ = std::move(values.data);
    }
    active_ = constant_ != 0 || !course_.empty() || !file_.empty() || noise_.sigma != 0;
}

double ExternalInput::at(std::int64_t source, std::int64_t step) const {
    double input = constant_;
    if (!course_.empty() && stimulated_[source] && step < static_cast<std::int64_t>(course_.size()))
        input += course_[step];
    if (!file_.empty() && file_column_[source] >= 0 &&
        step * file_columns_ < static_cast<std::int64_t>(file_.size()))
        input += file_[step * file_columns_ + file_column_[source]];
    if (noise_.sigma != 0)
        input += noise_.sigma * random_normal(noise_.seed, RandomStream::noise,
                                              static_cast<std::uint64_t>(source),
                                              static_cast<std::uint64_t>(step));
    return input;
}

std::int64_t ExternalInput::stimulated() const {
    return std::count(stimulated_.begin(), stimulated_.end(), 1);
}

}  // namespace massnet
