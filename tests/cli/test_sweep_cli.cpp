// massnet sweep as a user runs it: expand a sweep file, run its runs, read their status.
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>

#include <filesystem>

#include "support.hpp"

using namespace massnet;
namespace fs = std::filesystem;

namespace {

// A folder with the grid and a sweep file of `sweep_lines` over 10 ms runs on it.
void write_tiny_sweep(const test::ScratchDir& dir, const std::string& sweep_lines) {
    test::write_text(dir / "grid.txt", test::cube_grid());
    test::write_text(
        dir / "sweep.ini",
        "[grid]\nfile = grid.txt\n\n[simulation]\nduration = 0.01\n\n[sweep]\n" + sweep_lines);
}

// `massnet sweep run` with SLURM_ARRAY_TASK_ID set, as a job array task runs it.
test::Run array_task(const std::string& task, const std::string& folder) {
    return test::shell("env SLURM_ARRAY_TASK_ID=" + task +
                       " OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 '" +
                       std::string(MASSNET_EXE) + "' sweep run '" + folder + "' --progress 0");
}

std::vector<double> activity(const std::string& path) {
    io::Handle file = io::open_for_reading(path, "test");
    return io::read_doubles(file.id(), "/report/sources/data", "test").data;
}

}  // namespace

TEST_CASE("sweep expand writes a run file per point and a manifest, and says how many",
          "[cli][sweep]") {
    test::ScratchDir dir;
    write_tiny_sweep(dir, "delays.speed = 0.5, 1, 2\nweights.decays = 10 50; 20 80\n");

    auto run = test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path());

    REQUIRE(run.code == 0);
    CHECK_THAT(run.out, Catch::Contains("6 runs") && Catch::Contains("runs/manifest.csv") &&
                            Catch::Contains("--array=0-5"));
    CHECK(test::read_text(dir / "runs/manifest.csv") ==
          "index,delays.speed,weights.decays,output\n"
          "0,0.5,10 50,run-0000.h5\n1,0.5,20 80,run-0001.h5\n2,1,10 50,run-0002.h5\n"
          "3,1,20 80,run-0003.h5\n4,2,10 50,run-0004.h5\n5,2,20 80,run-0005.h5\n");
    CHECK(fs::exists(dir / "runs/run-0005.ini"));
    CHECK_FALSE(fs::exists(dir / "runs/run-0006.ini"));
    CHECK_THAT(test::read_text(dir / "runs/run-0003.ini"),
               Catch::Contains("speed = 1\n") && Catch::Contains("decays = 20, 80\n") &&
                   Catch::Contains("file = run-0003.h5\n") &&
                   Catch::Contains("file = " + (fs::path(dir.path()) / "grid.txt").string()));
}

TEST_CASE("sweep expand refuses bad sweeps with exit code 2 and writes no folder", "[cli][sweep]") {
    struct Case {
        std::string lines, culprit;
    };
    std::vector<Case> cases = {
        {"delays.velocity = 1, 2\n", "'delays.velocity'"},
        {"delays.speed =\n", "delays.speed: the list of values is empty"},
        {"delays.speed = 1, -2\n", "delays.speed: -2 is out of range"},
        {"delays.rounding = floor, upward\n", "'upward'"},
    };

    for (const auto& c : cases) {
        test::ScratchDir dir;
        write_tiny_sweep(dir, c.lines);

        auto run = test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path());

        INFO(c.lines);
        CHECK(run.code == 2);
        CHECK_THAT(run.err, Catch::Contains(c.culprit));
        CHECK_FALSE(fs::exists(dir / "runs"));
    }
}

TEST_CASE("sweep expand refuses a folder holding a manifest unless --force", "[cli][sweep]") {
    test::ScratchDir dir;
    write_tiny_sweep(dir, "delays.speed = 1, 2\n");
    REQUIRE(test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path()).code == 0);
    write_tiny_sweep(dir, "delays.speed = 3, 4, 5\n");

    auto again = test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path());
    auto manifest_kept = test::read_text(dir / "runs/manifest.csv");
    auto forced =
        test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs", "--force"}, dir.path());

    CHECK(again.code == 2);
    CHECK_THAT(again.err, Catch::Contains("manifest.csv") && Catch::Contains("--force"));
    CHECK_THAT(manifest_kept,
               Catch::Contains("1,2,run-0001.h5") && !Catch::Contains("run-0002.h5"));
    CHECK(forced.code == 0);
    CHECK_THAT(test::read_text(dir / "runs/manifest.csv"), Catch::Contains("2,5,run-0002.h5"));
}

TEST_CASE("sweep run writes each run's output and status then reports all complete",
          "[cli][sweep]") {
    test::ScratchDir dir;
    write_tiny_sweep(dir, "delays.speed = 1, 2\n");
    REQUIRE(test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path()).code == 0);

    auto first = test::massnet({"sweep", "run", dir / "runs", "--index", "0", "--progress", "0"});
    auto before = test::massnet({"sweep", "status", dir / "runs"});
    auto second = array_task("1", dir / "runs");
    auto after = test::massnet({"sweep", "status", dir / "runs"});

    CHECK(first.code == 0);
    CHECK(second.code == 0);
    CHECK(fs::exists(dir / "runs/run-0000.h5"));
    CHECK(fs::exists(dir / "runs/run-0001.h5"));
    CHECK(before.code == 1);
    CHECK_THAT(before.out, Catch::Contains("1 complete") && Catch::Contains("1 missing"));
    CHECK(after.code == 0);
    CHECK_THAT(after.out,
               Catch::Contains("2 runs: 2 complete, 0 running, 0 stopped, 0 failed, 0 missing"));
    CHECK(activity(dir / "runs/run-0000.h5").size() == 10 * 27);
}

TEST_CASE("sweep run under two MPI ranks writes what a direct simulate of its run file writes",
          "[cli][sweep]") {
    test::ScratchDir dir;
    write_tiny_sweep(dir, "delays.speed = 1, 2\n");
    REQUIRE(test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path()).code == 0);

    auto parallel =
        test::massnet_mpi(2, {"sweep", "run", dir / "runs", "--index", "1", "--progress", "0"});
    auto direct = test::massnet(
        {"simulate", "run-0001.ini", "--output.file=direct.h5", "--progress", "0"}, dir / "runs");

    REQUIRE(parallel.code == 0);
    REQUIRE(direct.code == 0);
    CHECK(activity(dir / "runs/run-0001.h5") == activity(dir / "runs/direct.h5"));
}

TEST_CASE("sweep run of a failing run leaves a marker that status shows with its message",
          "[cli][sweep]") {
    test::ScratchDir dir;
    write_tiny_sweep(dir, "delays.speed = 1, 2\n");
    REQUIRE(test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path()).code == 0);
    fs::rename(dir / "grid.txt", dir / "grid.moved");

    auto failed = test::massnet({"sweep", "run", dir / "runs", "--index", "1"});
    auto status = test::massnet({"sweep", "status", dir / "runs"});
    fs::rename(dir / "grid.moved", dir / "grid.txt");
    auto retried = array_task("1", dir / "runs");

    CHECK(failed.code == 2);
    CHECK_THAT(failed.err, Catch::Contains("grid.txt"));
    CHECK(status.code == 1);
    CHECK_THAT(status.out, Catch::Contains("failed") && Catch::Contains("grid.txt") &&
                               Catch::Contains("does not exist") && Catch::Contains("1 failed"));
    CHECK(retried.code == 0);
    CHECK_FALSE(fs::exists(dir / "runs/run-0001.failed"));
}

TEST_CASE("sweep run stopped by SIGUSR1 goes on from its checkpoint to the uninterrupted output",
          "[cli][sweep]") {
    // 60,000 steps of 539 sources: about 2 s of work on a quiet machine (0.03 ms a step), so
    // the signal, sent at the first progress line, arrives while it runs.
    test::ScratchDir dir;
    test::write_text(dir / "sweep.ini",
                     "[grid]\nspacing = 0.015\n[simulation]\nduration = 60\n[output]\n"
                     "every = 20\n[checkpoint]\nfile = any.h5\n[sweep]\ndelays.speed = 2\n");
    REQUIRE(test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path()).code == 0);
    const std::string run = "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 '" +
                            std::string(MASSNET_EXE) + "' sweep run '" + dir / "runs" +
                            "' --index 0 --progress ";

    // At its first progress line, signal it as SLURM would before a time limit.
    auto stopped =
        test::shell(run + "0.2 >'" + dir / "log" + "' 2>&1 & pid=$!; " +
                    "for i in $(seq 600); do grep -q '^step ' '" + dir / "log" +
                    "' && break; sleep 0.05; done; kill -USR1 $pid; wait $pid; " + "echo code=$?");
    const bool kept = fs::exists(dir / "runs/run-0000.ckpt.h5");
    auto status = test::massnet({"sweep", "status", dir / "runs"});
    auto resumed = test::shell(run + "0");
    auto direct = test::massnet({"simulate", "run-0000.ini", "--output.file=direct.h5",
                                 "--checkpoint.file=direct.ckpt.h5", "--progress", "0"},
                                dir / "runs");

    CHECK_THAT(stopped.out, Catch::Contains("code=3"));
    CHECK(kept);
    CHECK_THAT(status.out, Catch::Contains("stopped") && Catch::Contains("run-0000.ckpt.h5") &&
                               Catch::Contains("1 stopped"));
    REQUIRE(resumed.code == 0);
    CHECK_THAT(resumed.out, Catch::Contains("checkpoint") && Catch::Contains("restart: from step"));
    CHECK_FALSE(fs::exists(dir / "runs/run-0000.ckpt.h5"));
    REQUIRE(direct.code == 0);
    CHECK(activity(dir / "runs/run-0000.h5") == activity(dir / "runs/direct.h5"));
}

TEST_CASE("sweep run refuses a missing index, one out of range and a complete run",
          "[cli][sweep]") {
    test::ScratchDir dir;
    write_tiny_sweep(dir, "delays.speed = 1\n");
    REQUIRE(test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path()).code == 0);
    REQUIRE(test::massnet({"sweep", "run", "runs", "--index", "0", "--progress", "0"}, dir.path())
                .code == 0);

    auto no_index = test::massnet({"sweep", "run", "runs"}, dir.path());
    auto beyond = array_task("1", dir / "runs");
    auto complete = test::massnet({"sweep", "run", "runs", "--index", "0"}, dir.path());
    auto forced = test::massnet(
        {"sweep", "run", "runs", "--index", "0", "--force", "--progress", "0"}, dir.path());

    CHECK(no_index.code == 2);
    CHECK_THAT(no_index.err, Catch::Contains("--index") && Catch::Contains("SLURM_ARRAY_TASK_ID"));
    CHECK(beyond.code == 2);
    CHECK_THAT(beyond.err, Catch::Contains("run index 1 is out of range (allowed: 0 to 0"));
    CHECK(complete.code == 2);
    CHECK_THAT(complete.err, Catch::Contains("--force"));
    CHECK(forced.code == 0);
    CHECK_FALSE(fs::exists(dir / "runs/run-0000.failed"));
    CHECK_FALSE(fs::exists(dir / "runs/run-0001.failed"));
}

TEST_CASE("sweep status of a folder without a manifest is bad input", "[cli][sweep]") {
    test::ScratchDir dir;

    auto run = test::massnet({"sweep", "status", dir.path()});

    CHECK(run.code == 2);
    CHECK_THAT(run.err, Catch::Contains("no manifest.csv"));
}

TEST_CASE("sweep status tells a running run from one killed without warning", "[cli][sweep]") {
    // A million steps of 539 sources (half a minute): it is killed long before it could end.
    test::ScratchDir dir;
    test::write_text(dir / "sweep.ini",
                     "[grid]\nspacing = 0.015\n[simulation]\nduration = 1000\n[output]\n"
                     "every = 1000\n[sweep]\ndelays.speed = 2\n");
    REQUIRE(test::massnet({"sweep", "expand", "sweep.ini", "--out", "runs"}, dir.path()).code == 0);
    const std::string status =
        "'" + std::string(MASSNET_EXE) + "' sweep status '" + dir / "runs" + "'";

    // Status at the run's first progress line, then kill -9 it, as a node failure would.
    auto live = test::shell("env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 '" +
                            std::string(MASSNET_EXE) + "' sweep run '" + dir / "runs" +
                            "' --index 0 --progress 0.2 >'" + dir / "log" +
                            "' 2>&1 & pid=$!; for i in $(seq 600); do grep -q '^step ' '" +
                            dir / "log" + "' && break; sleep 0.05; done; " + status +
                            "; kill -9 $pid; wait $pid; echo code=$?");
    const bool beat_left = fs::exists(dir / "runs/.run-0000.alive");
    auto just_killed = test::shell(status);
    // Two minutes later nothing has touched the heartbeat.
    test::shell("touch -d '-3 min' '" + dir / "runs/.run-0000.alive" + "'");
    auto later = test::shell(status);

    CHECK_THAT(live.out, Catch::Contains("1 running") && Catch::Contains("code=137"));
    CHECK(beat_left);
    CHECK_THAT(just_killed.out, Catch::Contains("1 running"));
    CHECK_THAT(later.out, Catch::Contains("1 stopped") &&
                              Catch::Contains("no sign of life for 3 min") &&
                              Catch::Contains("run it again"));
    CHECK(later.code == 1);
}
