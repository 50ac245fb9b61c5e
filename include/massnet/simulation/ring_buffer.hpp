#pragma once
// The history of every source's activity over the last T steps, as a ring buffer.
//
// Each source owns a row of 2T values: the slot of time t is t mod T and every value is written
// twice, at its slot and at slot + T. A window of up to T consecutive times therefore always
// lies contiguous in memory, which lets the stepper read B steps of a source with one vector
// load instead of B wrapped ones.
#include <massnet/huge_pages.hpp>

#include <cstdint>
#include <vector>

namespace massnet {

class RingBuffer {
  public:
    RingBuffer() = default;
    /// Holds `length` (T) steps of `sources` (N) sources, all zero.
    RingBuffer(std::int64_t sources, std::int64_t length);

    std::int64_t sources() const { return sources_; }
    std::int64_t length() const { return length_; }
    /// Doubles between the rows of consecutive sources.
    std::int64_t stride() const { return 2 * length_; }
    std::int64_t slot(std::int64_t time) const {
        std::int64_t s = time % length_;
        return s < 0 ? s + length_ : s;
    }
    const double* data() const { return values_.data(); }
    /// Source j's activity at `time` and the times after it, contiguous for up to T values.
    const double* window(std::int64_t j, std::int64_t time) const {
        return values_.data() + j * stride() + slot(time);
    }
    double at(std::int64_t j, std::int64_t time) const { return *window(j, time); }
    void set(std::int64_t j, std::int64_t time, double y) {
        double* row = values_.data() + j * stride();
        std::int64_t s = slot(time);
        row[s] = y;
        row[s + length_] = y;
    }

    /// Fills from an N x T matrix (row-major) whose column k is the activity at `now - 1 - k`.
    void assign_history(const std::vector<double>& history, std::int64_t now);
    /// The N x T matrix of the last T steps before `now`, column k at `now - 1 - k`.
    std::vector<double> history(std::int64_t now) const;
    std::int64_t bytes() const {
        return static_cast<std::int64_t>(values_.size() * sizeof(double));
    }

  private:
    std::int64_t sources_ = 0;
    std::int64_t length_ = 1;
    std::vector<double, HugePageAllocator<double>> values_;  // read all over by every step
};

}  // namespace massnet
