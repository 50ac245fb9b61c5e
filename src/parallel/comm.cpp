#include <massnet/error.hpp>
#include <massnet/parallel/comm.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace massnet {
namespace {

template <class T>
T reduce(T value, MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
    T out{};
    MPI_Allreduce(&value, &out, 1, type, op, comm);
    return out;
}

}  // namespace

Comm::Comm(MPI_Comm comm) : comm_(comm) {
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
}

std::int64_t Comm::min(std::int64_t v) const {
    return reduce(v, MPI_INT64_T, MPI_MIN, comm_);
}
std::int64_t Comm::max(std::int64_t v) const {
    return reduce(v, MPI_INT64_T, MPI_MAX, comm_);
}
std::int64_t Comm::sum(std::int64_t v) const {
    return reduce(v, MPI_INT64_T, MPI_SUM, comm_);
}
double Comm::min(double v) const {
    return reduce(v, MPI_DOUBLE, MPI_MIN, comm_);
}
double Comm::max(double v) const {
    return reduce(v, MPI_DOUBLE, MPI_MAX, comm_);
}
double Comm::sum(double v) const {
    return reduce(v, MPI_DOUBLE, MPI_SUM, comm_);
}

std::int64_t Comm::broadcast(std::int64_t value) const {
    MPI_Bcast(&value, 1, MPI_INT64_T, 0, comm_);
    return value;
}

bool Comm::any(bool flag) const {
    int value = flag ? 1 : 0;
    return reduce(value, MPI_INT, MPI_LOR, comm_) != 0;
}

std::vector<std::int64_t> Comm::gather_all(std::int64_t value) const {
    std::vector<std::int64_t> all(static_cast<std::size_t>(size_));
    MPI_Allgather(&value, 1, MPI_INT64_T, all.data(), 1, MPI_INT64_T, comm_);
    return all;
}

std::vector<std::int64_t> Comm::concat(const std::vector<std::int64_t>& local) const {
    auto sizes = gather_all(static_cast<std::int64_t>(local.size()));
    std::vector<int> counts(sizes.size()), displs(sizes.size());
    std::int64_t total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
        if (total + sizes[r] > INT32_MAX) throw Error("concat: more than 2^31 values to gather");
        counts[r] = static_cast<int>(sizes[r]);
        displs[r] = static_cast<int>(total);
        total += sizes[r];
    }
    std::vector<std::int64_t> all(static_cast<std::size_t>(total));
    MPI_Allgatherv(local.data(), static_cast<int>(local.size()), MPI_INT64_T, all.data(),
                   counts.data(), displs.data(), MPI_INT64_T, comm_);
    return all;
}

void Comm::barrier() const {
    MPI_Barrier(comm_);
}

int Comm::ranks_on_node() const {
    MPI_Comm node;
    MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
    int count = 1;
    MPI_Comm_size(node, &count);
    MPI_Comm_free(&node);
    return count;
}

void Comm::together(const std::function<void()>& phase) const {
    std::string message;
    int code = 0;
    try {
        phase();
    } catch (const Error& e) {
        message = e.what();
        code = e.code();
    } catch (const std::bad_alloc&) {
        message = "out of memory on rank " + std::to_string(rank_);
        code = exit_failure;
    } catch (const std::exception& e) {
        message = e.what();
        code = exit_failure;
    }
    // The lowest failing rank speaks for all: agree on it, then broadcast its message.
    int failing = reduce(code != 0 ? rank_ : size_, MPI_INT, MPI_MIN, comm_);
    if (failing == size_) return;
    int length = static_cast<int>(message.size());
    MPI_Bcast(&length, 1, MPI_INT, failing, comm_);
    MPI_Bcast(&code, 1, MPI_INT, failing, comm_);
    message.resize(static_cast<std::size_t>(length));
    MPI_Bcast(message.data(), length, MPI_CHAR, failing, comm_);
    if (size_ > 1 && failing != 0 && message.find("rank ") == std::string::npos)
        message += " (on rank " + std::to_string(failing) + ")";
    Error shared(message, code);
    shared.mark_shared();
    throw shared;
}

void Comm::or_abort(const std::function<void()>& phase) const {
    if (size_ == 1) return phase();
    try {
        phase();
    } catch (const Error& e) {
        if (e.shared()) throw;
        std::fprintf(stderr, "massnet: error on rank %d: %s\n", rank_, e.what());
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, e.code());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "massnet: error on rank %d: %s\n", rank_, e.what());
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, exit_failure);
    }
}

MpiSession::MpiSession(int& argc, char**& argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    // Errors of MPI calls abort the job rather than leave ranks waiting.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
}

MpiSession::~MpiSession() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

}  // namespace massnet
