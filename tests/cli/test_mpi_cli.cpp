// massnet simulate under mpiexec: identical files at any rank and thread count, failures that end
// the whole job, and the memory preflight.
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>

#include <chrono>
#include <filesystem>

#include "support.hpp"

using namespace massnet;

namespace {

// Lines massnet printed (mpiexec adds its own report of the exit code after them).
int massnet_lines(const std::string& err) {
    int count = 0;
    for (std::size_t at = err.find("massnet:"); at != std::string::npos;
         at = err.find("massnet:", at + 1))
        count += at == 0 || err[at - 1] == '\n';
    return count;
}

}  // namespace

TEST_CASE("1, 2 and 3 ranks with 1 or 2 threads write bit-identical activity",
          "[cli][mpi][determinism]") {
    test::ScratchDir dir;
    const std::vector<std::string> base{"simulate",
                                        "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
                                        "--simulation.duration=0.06"};
    struct Layout {
        int ranks, threads;
    };
    std::vector<std::vector<double>> results;
    std::vector<std::int64_t> rank_attribute;

    for (Layout l : {Layout{1, 1}, Layout{1, 2}, Layout{2, 1}, Layout{2, 2}, Layout{3, 1}}) {
        std::string out =
            dir / ("r" + std::to_string(l.ranks) + "t" + std::to_string(l.threads) + ".h5");
        auto args = base;
        args.push_back("--output.file=" + out);
        auto run = test::massnet_mpi(l.ranks, args, "OMP_NUM_THREADS=" + std::to_string(l.threads));
        REQUIRE(run.code == 0);
        CHECK_THAT(run.out, Catch::Contains(std::to_string(l.ranks) + " ranks x " +
                                            std::to_string(l.threads) + " threads"));
        results.push_back(test::activity(out));
        io::Handle file = io::open_for_reading(out, "test");
        rank_attribute.push_back(io::read_int64_attribute(file.id(), "ranks"));
    }

    REQUIRE(results.front().size() == 60 * 1778);
    for (std::size_t r = 1; r < results.size(); ++r)
        CHECK(results[r] == results.front());
    CHECK(rank_attribute == std::vector<std::int64_t>{1, 1, 2, 2, 3});
}

TEST_CASE("a rank that fails while building ends every rank with one message",
          "[cli][mpi][failure]") {
    test::ScratchDir dir;
    auto start = std::chrono::steady_clock::now();

    auto run =
        test::massnet_mpi(3,
                          {"simulate", "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
                           "--simulation.duration=0.05", "--output.file=" + (dir / "out.h5")},
                          "OMP_NUM_THREADS=1 MASSNET_FAIL_ON_RANK=1");
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    CHECK(run.code == 1);
    CHECK_THAT(run.err, Catch::Contains("injected failure") && Catch::Contains("rank 1"));
    CHECK(massnet_lines(run.err) == 1);
    CHECK(dir.files().empty());
    CHECK(seconds < 60);
}

TEST_CASE("a rank that fails alone during the run ends the job, never a hang",
          "[cli][mpi][failure]") {
    test::ScratchDir dir;
    auto start = std::chrono::steady_clock::now();

    auto run = test::massnet_mpi(2,
                                 {"simulate", "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
                                  "--simulation.duration=0.2", "--output.file=" + (dir / "out.h5")},
                                 "OMP_NUM_THREADS=1 MASSNET_FAIL_ON_RANK=1:run");
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    CHECK(run.code != 0);
    CHECK_THAT(run.err, Catch::Contains("injected failure during the run"));
    CHECK_FALSE(std::filesystem::exists(dir / "out.h5"));
    CHECK(seconds < 60);
}

TEST_CASE("the memory preflight refuses a small limit and names the ranks that would fit",
          "[cli][mpi][memory]") {
    test::ScratchDir dir;

    auto run = test::massnet_mpi(
        2,
        {"simulate", "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
         "--simulation.duration=0.05", "--memory-limit=12M", "--output.file=" + (dir / "out.h5")},
        "OMP_NUM_THREADS=1");

    CHECK(run.code == 2);
    CHECK_THAT(run.err,
               Catch::Contains("--memory-limit") && Catch::Contains("would fit on 32 ranks"));
    CHECK(massnet_lines(run.err) == 1);
    CHECK(dir.files().empty());
}
