#pragma once
// Sharing each rank's new activity with every other rank, so that every ring buffer is complete
// before it is read again.
#include <massnet/parallel/comm.hpp>
#include <massnet/simulation/ring_buffer.hpp>

#include <cstdint>
#include <vector>

namespace massnet {

class ActivityExchange {
  public:
    /// `row_offsets`: P + 1 offsets of the ranks' row blocks.
    ActivityExchange(const Comm& comm, std::vector<std::int64_t> row_offsets);

    /// `own` holds `count` steps of this rank's rows (step-major, count x own rows) from
    /// `first_step` on; afterwards `ring` holds every other rank's rows for those steps too.
    void share(const double* own, std::int64_t first_step, std::int64_t count, RingBuffer& ring);

  private:
    const Comm& comm_;
    std::vector<std::int64_t> offsets_;
    std::vector<int> counts_, displs_;
    std::vector<double> received_;
};

}  // namespace massnet
