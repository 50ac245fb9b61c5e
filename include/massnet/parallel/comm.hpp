#pragma once
// The one place that speaks MPI: a communicator wrapper with the few collectives massnet needs,
// and the rule that an error on one rank ends every rank with the same message.
#include <mpi.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace massnet {

class Comm {
  public:
    explicit Comm(MPI_Comm comm = MPI_COMM_WORLD);

    int rank() const { return rank_; }
    int size() const { return size_; }
    MPI_Comm get() const { return comm_; }
    bool is_root() const { return rank_ == 0; }

    std::int64_t min(std::int64_t value) const;
    std::int64_t max(std::int64_t value) const;
    std::int64_t sum(std::int64_t value) const;
    double min(double value) const;
    double max(double value) const;
    double sum(double value) const;
    /// Rank 0's value, on every rank.
    std::int64_t broadcast(std::int64_t value) const;
    /// Whether `flag` is true on any rank.
    bool any(bool flag) const;
    /// Every rank's value, in rank order.
    std::vector<std::int64_t> gather_all(std::int64_t value) const;
    /// Concatenates every rank's vector, in rank order.
    std::vector<std::int64_t> concat(const std::vector<std::int64_t>& local) const;
    void barrier() const;
    /// How many ranks of this communicator share this rank's node.
    int ranks_on_node() const;

    /// Runs `phase` on every rank. If it throws on any rank, every rank throws the error of the
    /// lowest failing rank (message and exit code), so that no rank is left waiting.
    void together(const std::function<void()>& phase) const;

    /// Runs `phase`, which the other ranks cannot join in failing (the step loop: they wait in
    /// the next exchange). If it throws with more than one rank, this rank prints the error and
    /// aborts the job at once, before any destructor could wait on the others.
    void or_abort(const std::function<void()>& phase) const;

  private:
    MPI_Comm comm_;
    int rank_ = 0;
    int size_ = 1;
};

/// MPI initialised for the lifetime of the object (MPI_THREAD_FUNNELED).
class MpiSession {
  public:
    MpiSession(int& argc, char**& argv);
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
};

}  // namespace massnet
