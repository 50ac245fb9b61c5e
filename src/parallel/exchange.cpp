#include <massnet/error.hpp>
#include <massnet/parallel/exchange.hpp>

#include <limits>

namespace massnet {

ActivityExchange::ActivityExchange(const Comm& comm, std::vector<std::int64_t> row_offsets)
    : comm_(comm), offsets_(std::move(row_offsets)) {
    counts_.resize(static_cast<std::size_t>(comm.size()));
    displs_.resize(static_cast<std::size_t>(comm.size()));
}

void ActivityExchange::share(const double* own, std::int64_t first_step, std::int64_t count,
                             RingBuffer& ring) {
    if (comm_.size() == 1) return;  // this rank wrote every row itself
    const std::int64_t n = offsets_.back();
    if (count * n > std::numeric_limits<int>::max())
        throw Error("exchange of " + std::to_string(count * n) +
                    " values exceeds MPI's int counts");
    // Rank r's block: count x its rows, at count * (its first row).
    for (int r = 0; r < comm_.size(); ++r) {
        counts_[r] = static_cast<int>(count * (offsets_[r + 1] - offsets_[r]));
        displs_[r] = static_cast<int>(count * offsets_[r]);
    }
    received_.resize(static_cast<std::size_t>(count * n));
    const int me = comm_.rank();
    MPI_Allgatherv(own, counts_[me], MPI_DOUBLE, received_.data(), counts_.data(), displs_.data(),
                   MPI_DOUBLE, comm_.get());
    for (int r = 0; r < comm_.size(); ++r) {
        if (r == me) continue;
        const std::int64_t first = offsets_[r], rows = offsets_[r + 1] - offsets_[r];
        const double* block = received_.data() + displs_[r];
        for (std::int64_t s = 0; s < count; ++s)
            for (std::int64_t i = 0; i < rows; ++i)
                ring.set(first + i, first_step + s, block[s * rows + i]);
    }
}

}  // namespace massnet
