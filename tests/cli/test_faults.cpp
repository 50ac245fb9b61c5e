// massnet under faults from outside: a disk too small for the output, SIGINT in the middle of a
// run, and an input file the user may not read.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

// The environment every massnet child gets, as test::massnet sets it.
const std::string massnet_env = "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ";

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// A small tmpfs mounted on a fresh folder, unmounted when it goes, also when a check fails.
class SmallDisk {
  public:
    explicit SmallDisk(const std::string& size) {
        if (::geteuid() != 0) {
            reason_ = "mounting a tmpfs needs root";
            return;
        }
        auto mount =
            test::shell("mount -t tmpfs -o size=" + size + " tmpfs " + quoted(folder_.path()));
        if (mount.code != 0) reason_ = "mount -t tmpfs failed: " + mount.err;
        mounted_ = mount.code == 0;
    }
    ~SmallDisk() {
        if (mounted_) test::shell("umount " + quoted(folder_.path()));
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;

    bool mounted() const { return mounted_; }
    const std::string& reason() const { return reason_; }
    std::string operator/(const std::string& name) const { return folder_ / name; }
    std::vector<std::string> files() const { return folder_.files(); }

  private:
    test::ScratchDir folder_;
    bool mounted_ = false;
    std::string reason_;
};

// Runs `command` as the unprivileged user nobody (uid and gid 65534); what is missing for that
// on this machine, or "" when it can be done.
const std::string as_nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups ";

std::string why_not_as_nobody() {
    if (::geteuid() != 0) return "switching to another user needs root";
    auto probe = test::shell(as_nobody + "test -x " + quoted(MASSNET_EXE));
    if (probe.code != 0) return "setpriv cannot run massnet as nobody: " + probe.err;
    return "";
}

}  // namespace

TEST_CASE("an output larger than the free disk space is refused before anything is written",
          "[faults]") {
    SmallDisk disk("2m");
    if (!disk.mounted()) {
        WARN("skipped: " << disk.reason());
        return;
    }
    const std::string out = disk / "activity.h5";

    // 1,778 sources x 1,000 steps of doubles: 14 MB onto 2 MB.
    auto run =
        test::massnet({"simulate", "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
                       "--simulation.duration=1", "--output.file=" + out, "--progress", "0"});

    INFO(run.err);
    CHECK(run.code == 2);
    CHECK_THAT(run.err, Catch::Contains("output.file") && Catch::Contains("activity.h5") &&
                            Catch::Contains("14.2 MB") && Catch::Contains("free"));
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
    CHECK(disk.files().empty());
}

TEST_CASE("a disk that fills during the run ends it with a clear message and no output",
          "[faults]") {
    SmallDisk disk("16m");
    if (!disk.mounted()) {
        WARN("skipped: " << disk.reason());
        return;
    }
    const std::string log = disk / "log";
    // 14.2 MB of activity fits the 16 MB disk at the start; a 20 MB file then fills it.
    const std::string simulate =
        massnet_env + quoted(MASSNET_EXE) +
        " simulate --grid.file=" + quoted(test::data("fsaverage-vol-10mm.npy")) +
        " --simulation.duration=1 --output.file=" + quoted(disk / "out.h5") + " --progress 0";

    auto run =
        test::shell(simulate + " >" + quoted(log) + " 2>&1 & pid=$!; " +
                    "for i in $(seq 600); do grep -q '^run:' " + quoted(log) +
                    " && break; sleep 0.05; done; dd if=/dev/zero of=" + quoted(disk / "fill") +
                    " bs=1M count=20 2>/dev/null; " + "wait $pid; echo code=$?; rm -f " +
                    quoted(disk / "fill"));

    const std::string printed = test::read_text(log);
    INFO(printed);
    CHECK_THAT(run.out, Catch::Contains("code=1"));
    CHECK_THAT(printed, Catch::Contains("massnet: error:") && Catch::Contains("disk full"));
    CHECK_FALSE(fs::exists(disk / "out.h5"));
    CHECK_FALSE(fs::exists(disk / ".out.h5.partial"));
}

TEST_CASE("SIGINT during a run exits 130 and removes the partial output", "[faults]") {
    // 100,000 steps of 539 sources: seconds of work even on a quiet machine, so the signal
    // arrives while it runs.
    test::ScratchDir dir;
    const std::string log = dir / "log";
    const std::string simulate = massnet_env + quoted(MASSNET_EXE) +
                                 " simulate --grid.spacing=0.015 --simulation.duration=100"
                                 " --output.every=20 --output.file=out.h5 --progress 0";

    // Once the step loop has started, interrupt it as Ctrl-C would.
    auto run = test::shell("cd " + quoted(dir.path()) + " && " + simulate + " >" + quoted(log) +
                           " 2>&1 & pid=$!; for i in $(seq 600); do grep -q '^run:' " +
                           quoted(log) + " && break; sleep 0.05; done; sleep 1; kill -INT $pid; " +
                           "wait $pid; echo code=$?");

    INFO(test::read_text(log));
    CHECK_THAT(run.out, Catch::Contains("code=130"));
    CHECK_THAT(test::read_text(log), Catch::Contains("interrupted at step"));
    CHECK_FALSE(fs::exists(dir / "out.h5"));
    CHECK_FALSE(fs::exists(dir / ".out.h5.partial"));
    CHECK(dir.files() == std::vector<std::string>{"log"});
}

TEST_CASE("a grid file its user may not read is refused with exit 2 naming the file", "[faults]") {
    const std::string reason = why_not_as_nobody();
    if (!reason.empty()) {
        WARN("skipped: " << reason);
        return;
    }
    test::ScratchDir dir;
    test::write_text(dir / "grid.txt", "0 0 0\n0.01 0 0\n");
    fs::permissions(dir / "grid.txt", fs::perms::none);
    fs::permissions(dir.path(), fs::perms::all);  // nobody may write the output beside it
    const auto before = dir.files();

    auto run = test::shell("cd " + quoted(dir.path()) + " && " + as_nobody + massnet_env +
                           quoted(MASSNET_EXE) + " simulate --grid.file=grid.txt" +
                           " --simulation.duration=0.01 --output.file=out.h5");

    INFO(run.err);
    CHECK(run.code == 2);
    CHECK_THAT(run.err, Catch::Contains("grid.file") && Catch::Contains("grid.txt") &&
                            Catch::Contains("Permission denied"));
    CHECK(dir.files() == before);
}
