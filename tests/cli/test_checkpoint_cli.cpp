// Checkpoints and restarts: a run stopped by a signal, killed, or interrupted goes on to the same
// output as an uninterrupted run, with any rank count; bad checkpoints are refused.
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>

#include <filesystem>

#include "support.hpp"

using namespace massnet;

namespace {

const std::string duration = "--simulation.duration=2";

std::vector<std::string> run_args(const std::string& out) {
    return {"simulate", "--grid.file=" + test::data("fsaverage-vol-10mm.npy"), duration,
            "--output.file=" + out, "--progress=0"};
}

// The same run, uninterrupted, once for all tests in this file.
const std::vector<double>& reference() {
    static test::ScratchDir dir;
    static std::vector<double> activity = [] {
        auto run = test::massnet(run_args(dir / "reference.h5"));
        REQUIRE(run.code == 0);
        return test::activity(dir / "reference.h5");
    }();
    return activity;
}

// Starts massnet in the background in `dir`, waits until it is stepping (its "run:" line) and,
// with `wait_for_checkpoint`, until a checkpoint exists, then sends `signal` and waits for the
// exit code. Its output is returned as the run's output.
test::Run run_and_signal(const std::string& dir, const std::vector<std::string>& args,
                         const std::string& signal, bool wait_for_checkpoint) {
    std::string line = "cd '" + dir +
                       "'; env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 '" +
                       std::string(MASSNET_EXE) + "'";
    for (const auto& a : args)
        line += " '" + a + "'";
    line += " >run.log 2>&1 & pid=$!; ";
    line += "for i in $(seq 600); do grep -q '^run:' run.log && break; sleep 0.05; done; ";
    if (wait_for_checkpoint)
        line += "for i in $(seq 600); do [ -f ck.h5 ] && break; sleep 0.05; done; ";
    line += "sleep 0.2; kill -" + signal +
            " $pid; wait $pid; code=$?; cat run.log; rm -f run.log; exit $code";
    return test::shell(line);
}

}  // namespace

TEST_CASE("SIGTERM writes a checkpoint and exits 3, and the restart ends as an uninterrupted run",
          "[cli][checkpoint]") {
    test::ScratchDir dir;
    auto args = run_args("out.h5");
    args.push_back("--checkpoint.file=ck.h5");

    auto stopped = run_and_signal(dir.path(), args, "TERM", false);
    bool kept_checkpoint = std::filesystem::exists(dir / "ck.h5");
    bool no_final_output = !std::filesystem::exists(dir / "out.h5");
    auto restarted = test::massnet({"simulate", "--restart", "ck.h5"}, dir.path());

    CHECK(stopped.code == 3);
    CHECK_THAT(stopped.out, Catch::Contains("--restart " + (dir / "ck.h5")));
    CHECK(kept_checkpoint);
    CHECK(no_final_output);
    REQUIRE(restarted.code == 0);
    CHECK_THAT(restarted.out, Catch::Contains("restart: from step"));
    CHECK(test::activity(dir / "out.h5") == reference());
    CHECK_FALSE(std::filesystem::exists(dir / "ck.h5"));  // a complete run leaves none behind
}

TEST_CASE("kill -9 between periodic checkpoints, then restart: bit-identical output",
          "[cli][checkpoint]") {
    test::ScratchDir dir;
    auto args = run_args("out.h5");
    args.push_back("--checkpoint.file=ck.h5");
    args.push_back("--checkpoint.every=0.2");

    auto killed = run_and_signal(dir.path(), args, "9", true);
    auto restarted = test::massnet({"simulate", "--restart", "ck.h5"}, dir.path());

    CHECK(killed.code == 128 + 9);
    REQUIRE(restarted.code == 0);
    CHECK(test::activity(dir / "out.h5") == reference());
}

TEST_CASE("a checkpoint from one rank restarts on two and three ranks to the same output",
          "[cli][checkpoint][mpi]") {
    for (int ranks : {2, 3}) {
        test::ScratchDir dir;
        auto args = run_args("out.h5");
        args.push_back("--checkpoint.file=ck.h5");

        auto stopped = run_and_signal(dir.path(), args, "USR1", false);
        auto restarted =
            test::massnet_mpi(ranks, {"simulate", "--restart", dir / "ck.h5"}, "OMP_NUM_THREADS=1");

        CHECK(stopped.code == 3);
        REQUIRE(restarted.code == 0);
        CHECK(test::activity(dir / "out.h5") == reference());
    }
}

TEST_CASE("SIGINT stops the run and leaves no file behind", "[cli][checkpoint]") {
    test::ScratchDir dir;

    auto interrupted = run_and_signal(dir.path(), run_args("out.h5"), "INT", false);

    CHECK(interrupted.code == 130);
    CHECK(dir.files().empty());
}

TEST_CASE(
    "a truncated checkpoint or one of another config is refused, the partial output untouched",
    "[cli][checkpoint]") {
    test::ScratchDir dir;
    auto args = run_args("out.h5");
    args.push_back("--checkpoint.file=ck.h5");
    auto stopped = run_and_signal(dir.path(), args, "TERM", false);
    REQUIRE(stopped.code == 3);
    const std::string partial_before = test::read_text(dir / ".out.h5.partial");
    const std::string checkpoint = test::read_text(dir / "ck.h5");
    test::write_text(dir / "truncated.h5", checkpoint.substr(0, checkpoint.size() / 2));

    auto truncated = test::massnet({"simulate", "--restart", "truncated.h5"}, dir.path());
    auto other = test::massnet(
        {"simulate", "--restart", "ck.h5", "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
         "--simulation.duration=3", "--output.file=out.h5", "--checkpoint.file=ck.h5"},
        dir.path());
    auto missing = test::massnet({"simulate", "--restart", "absent.h5"}, dir.path());

    CHECK(truncated.code == 2);
    CHECK_THAT(truncated.err, Catch::Contains("truncated.h5"));
    CHECK(other.code == 2);
    CHECK_THAT(other.err, Catch::Contains("another config"));
    CHECK(missing.code == 2);
    CHECK_THAT(missing.err, Catch::Contains("absent.h5"));
    CHECK(test::read_text(dir / ".out.h5.partial") == partial_before);
    CHECK_FALSE(std::filesystem::exists(dir / "out.h5"));
}

TEST_CASE("outputs and checkpoints carry their provenance", "[cli][checkpoint]") {
    test::ScratchDir dir;
    auto args = run_args("out.h5");
    args.push_back("--checkpoint.file=ck.h5");
    auto stopped = run_and_signal(dir.path(), args, "TERM", false);
    REQUIRE(stopped.code == 3);

    io::Handle file = io::open_for_reading(dir / "ck.h5", "test");

    for (const char* name :
         {"config", "command_line", "massnet_version", "git_commit", "start_time"})
        CHECK_FALSE(io::read_string_attribute(file.id(), name).empty());
    CHECK(io::read_int64_attribute(file.id(), "ranks") == 1);
    CHECK(io::read_int64_attribute(file.id(), "threads") >= 1);
    CHECK(io::read_int64_attribute(file.id(), "step") > 0);
    CHECK_THAT(io::read_string_attribute(file.id(), "config"), Catch::Contains("duration = 2"));
}
