// The external drive, the noise, the distance cutoff and the readouts, through massnet simulate.
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>
#include <massnet/io/npy.hpp>
#include <massnet/network/geometry.hpp>

#include <cmath>
#include <numeric>

#include "support.hpp"

using namespace massnet;

namespace {

io::Array<double> activity_of(const std::string& path, const std::string& population = "sources") {
    io::Handle file = io::open_for_reading(path, "test");
    return io::read_doubles(file.id(), "/report/" + population + "/data", "test");
}

double logit(double y) {
    return std::log(y / (1 - y));
}

// A stimulated source at the origin and targets at 1, 2 and 3 cm in three directions.
const std::vector<double> star{0, 0, 0, 0.01, 0, 0, 0, 0.02, 0, 0, 0, -0.03};

}  // namespace

TEST_CASE("a pulse at one source reaches each target exactly d_ij steps later, weighted by W0_ij",
          "[cli][drive]") {
    test::ScratchDir dir;
    io::write_npy(dir / "star.npy", star, {4, 3});
    // W0(D) = 0.5 - 0.5 exp(-100 D): no self-coupling (dropped by min_weight), positive elsewhere.
    const std::vector<std::string> base{"simulate",
                                        "--grid.file=star.npy",
                                        "--simulation.duration=0.2",
                                        "--weights.amplitudes=0.5,-0.5",
                                        "--weights.decays=0,100",
                                        "--weights.min_weight=1e-12"};
    const int onset_step = 50;
    auto quiet = base, pulsed = base;
    quiet.push_back("--output.file=quiet.h5");
    pulsed.insert(pulsed.end(),
                  {"--output.file=pulsed.h5", "--drive.center=0 0 0", "--drive.radius=0.001",
                   "--drive.onset=0.05", "--drive.amplitude=4"});

    REQUIRE(test::massnet(quiet, dir.path()).code == 0);
    REQUIRE(test::massnet(pulsed, dir.path()).code == 0);

    auto a = activity_of(dir / "quiet.h5").data, b = activity_of(dir / "pulsed.h5").data;
    const double dy_source = b[onset_step * 4 + 0] - a[onset_step * 4 + 0];
    CHECK(dy_source > 0.01);
    Coupling coupling{WeightSettings{{0.5, -0.5}, {0, 100}}, DelaySettings{}, 1000.0};
    for (int target = 1; target <= 3; ++target) {
        const double d = distance(&star[0], &star[3 * target]);
        const std::int64_t delay = delay_samples(coupling, d);
        const std::int64_t arrival = onset_step + delay;
        bool same_before = true;
        for (std::int64_t n = 0; n < arrival; ++n)
            same_before &= a[n * 4 + target] == b[n * 4 + target];
        const double dh = logit(b[arrival * 4 + target]) - logit(a[arrival * 4 + target]);

        CHECK(same_before);
        CHECK(a[arrival * 4 + target] != b[arrival * 4 + target]);
        CHECK(dh == Approx(coupling_weight(coupling.weights, d) * dy_source).epsilon(1e-8));
    }
}

TEST_CASE("a drive file of single-source time courses equals the same stimulus from the config",
          "[cli][drive]") {
    test::ScratchDir dir;
    io::write_npy(dir / "star.npy", star, {4, 3});
    {
        io::Handle file = io::create_file(dir / "drive.h5");
        std::vector<double> course(100, 0.0);
        course[30] = 2.5;
        io::write_int64s(file.id(), "sources", {0}, {1});
        io::write_doubles(file.id(), "drive", course, {100, 1});
    }
    const std::vector<std::string> base{"simulate", "--grid.file=star.npy",
                                        "--simulation.duration=0.1"};
    auto from_file = base, from_config = base;
    from_file.insert(from_file.end(), {"--drive.file=drive.h5", "--output.file=file.h5"});
    from_config.insert(from_config.end(), {"--drive.center=0,0,0", "--drive.onset=0.03",
                                           "--drive.amplitude=2.5", "--output.file=config.h5"});

    REQUIRE(test::massnet(from_file, dir.path()).code == 0);
    REQUIRE(test::massnet(from_config, dir.path()).code == 0);

    CHECK(activity_of(dir / "file.h5").data == activity_of(dir / "config.h5").data);
}

TEST_CASE("noise: xi has mean 0 and variance 1 over sources and steps", "[cli][noise]") {
    test::ScratchDir dir;
    const double sigma = 0.5;

    // No coupling: h = sigma xi, so xi = logit(y) / sigma.
    auto run = test::massnet({"simulate", "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
                              "--simulation.duration=0.05", "--weights.amplitudes=0,0",
                              "--noise.sigma=0.5", "--output.file=noise.h5"},
                             dir.path());

    REQUIRE(run.code == 0);
    auto y = activity_of(dir / "noise.h5").data;
    double sum = 0, sum2 = 0;
    for (double v : y) {
        double xi = logit(v) / sigma;
        sum += xi;
        sum2 += xi * xi;
    }
    const double count = static_cast<double>(y.size());  // 88,900 values
    const double mean = sum / count, variance = sum2 / count - mean * mean;
    // Six standard errors: sd(mean) = 1 / sqrt(n), sd(variance) = sqrt(2 / n).
    CHECK(std::abs(mean) < 6 / std::sqrt(count));
    CHECK(std::abs(variance - 1) < 6 * std::sqrt(2 / count));
}

TEST_CASE("with noise and a drive, 1, 2 and 3 ranks give bit-identical activity",
          "[cli][noise][mpi]") {
    test::ScratchDir dir;
    const std::vector<std::string> base{"simulate",
                                        "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
                                        "--simulation.duration=0.05",
                                        "--noise.sigma=0.3",
                                        "--noise.seed=7",
                                        "--drive.constant=0.1",
                                        "--drive.center=0 0 0.02",
                                        "--drive.radius=0.03",
                                        "--drive.amplitude=1",
                                        "--drive.shape=sine",
                                        "--drive.frequency=40",
                                        "--drive.length=0.04"};
    std::vector<std::vector<double>> results;

    for (int ranks : {1, 2, 3}) {
        auto args = base;
        args.push_back("--output.file=" + (dir / ("r" + std::to_string(ranks) + ".h5")));
        REQUIRE(test::massnet_mpi(ranks, args, "OMP_NUM_THREADS=1").code == 0);
        results.push_back(activity_of(dir / ("r" + std::to_string(ranks) + ".h5")).data);
    }

    CHECK(results[1] == results[0]);
    CHECK(results[2] == results[0]);
}

TEST_CASE("with noise, a restart from a checkpoint ends as the uninterrupted run",
          "[cli][noise][checkpoint]") {
    test::ScratchDir dir;
    const std::vector<std::string> base{
        "simulate", "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
        "--simulation.duration=2", "--noise.sigma=0.3", "--progress=0"};
    auto whole = base, parts = base;
    whole.push_back("--output.file=whole.h5");
    parts.insert(parts.end(), {"--output.file=parts.h5", "--checkpoint.file=ck.h5"});
    std::string line = "cd '" + dir.path() +
                       "'; env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 '" +
                       std::string(MASSNET_EXE) + "'";
    for (const auto& a : parts)
        line += " '" + a + "'";
    line +=
        " >run.log 2>&1 & pid=$!; for i in $(seq 600); do grep -q '^run:' run.log && break; sleep "
        "0.05; done; ";
    line += "sleep 0.3; kill -USR1 $pid; wait $pid; code=$?; rm -f run.log; exit $code";

    REQUIRE(test::massnet(whole, dir.path()).code == 0);
    REQUIRE(test::shell(line).code == 3);
    REQUIRE(
        test::massnet_mpi(2, {"simulate", "--restart", dir / "ck.h5"}, "OMP_NUM_THREADS=1").code ==
        0);

    CHECK(activity_of(dir / "parts.h5").data == activity_of(dir / "whole.h5").data);
}

TEST_CASE("a cutoff beyond the grid reproduces the uncut run bit for bit", "[cli][cutoff]") {
    test::ScratchDir dir;
    const std::vector<std::string> base{"simulate",
                                        "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
                                        "--simulation.duration=0.03"};
    auto uncut = base, cut = base;
    uncut.push_back("--output.file=uncut.h5");
    cut.insert(cut.end(), {"--output.file=cut.h5", "--weights.max_distance=1"});

    REQUIRE(test::massnet(uncut, dir.path()).code == 0);
    auto run = test::massnet(cut, dir.path());
    REQUIRE(run.code == 0);

    CHECK_THAT(run.out, Catch::Contains("3,161,284 connections"));
    CHECK(activity_of(dir / "cut.h5").data == activity_of(dir / "uncut.h5").data);
}

TEST_CASE("a very uneven cutoff grid gives identical results at 1, 2 and 3 ranks",
          "[cli][cutoff][mpi]") {
    test::ScratchDir dir;
    // A dense 10 x 10 x 10 cluster (2 mm) beside a sparse line of 200 sources (1 cm apart).
    std::vector<double> grid;
    for (int i = 0; i < 10; ++i)
        for (int j = 0; j < 10; ++j)
            for (int k = 0; k < 10; ++k)
                grid.insert(grid.end(), {0.002 * i, 0.002 * j, 0.002 * k});
    for (int i = 0; i < 200; ++i)
        grid.insert(grid.end(), {0.05 + 0.01 * i, 0, 0});
    io::write_npy(dir / "uneven.npy", grid, {1200, 3});
    std::vector<std::vector<double>> results;

    for (int ranks : {1, 2, 3}) {
        std::string out = dir / ("r" + std::to_string(ranks) + ".h5");
        auto run = test::massnet_mpi(
            ranks,
            {"simulate", "--grid.file=" + (dir / "uneven.npy"), "--weights.max_distance=0.012",
             "--simulation.duration=0.1", "--output.file=" + out},
            "OMP_NUM_THREADS=1");
        REQUIRE(run.code == 0);
        results.push_back(activity_of(out).data);
    }

    CHECK(results[1] == results[0]);
    CHECK(results[2] == results[0]);
}

TEST_CASE("output.sources records the chosen columns and output.mean the mean of all",
          "[cli][readout]") {
    test::ScratchDir dir;
    const std::vector<std::string> base{"simulate",
                                        "--grid.file=" + test::data("fsaverage-vol-10mm.npy"),
                                        "--simulation.duration=0.02"};
    auto all = base, some = base, sphere = base, mean = base;
    all.push_back("--output.file=all.h5");
    some.insert(some.end(), {"--output.file=some.h5", "--output.sources=17, 3, 1000, 3"});
    sphere.insert(sphere.end(), {"--output.file=sphere.h5", "--output.sources=sphere 0 0 0 0.02"});
    mean.insert(mean.end(), {"--output.file=mean.h5", "--output.mean=true"});

    for (const auto& args : {all, some, sphere, mean})
        REQUIRE(test::massnet(args, dir.path()).code == 0);

    auto full = activity_of(dir / "all.h5");
    const std::size_t n = full.dims[1];
    auto chosen = activity_of(dir / "some.h5");
    REQUIRE(chosen.dims == std::vector<hsize_t>{20, 3});
    for (std::size_t s = 0; s < 20; ++s) {
        CHECK(chosen.data[s * 3 + 0] == full.data[s * n + 3]);
        CHECK(chosen.data[s * 3 + 1] == full.data[s * n + 17]);
        CHECK(chosen.data[s * 3 + 2] == full.data[s * n + 1000]);
    }
    io::Handle file = io::open_for_reading(dir / "sphere.h5", "test");
    auto ids = io::read_int64s(file.id(), "/report/sources/mapping/node_ids", "test").data;
    auto positions = io::read_doubles(file.id(), "/sources/positions", "test").data;
    std::size_t inside = 0;
    for (std::size_t i = 0; i < n; ++i)
        inside += std::hypot(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]) <= 0.02;
    CHECK(ids.size() == inside);
    CHECK(activity_of(dir / "sphere.h5").dims == std::vector<hsize_t>{20, inside});
    auto averaged = activity_of(dir / "mean.h5", "mean");
    REQUIRE(averaged.dims == std::vector<hsize_t>{20, 1});
    for (std::size_t s = 0; s < 20; ++s) {
        double sum =
            std::accumulate(full.data.begin() + s * n, full.data.begin() + (s + 1) * n, 0.0);
        CHECK(averaged.data[s] == Approx(sum / n).epsilon(1e-14));
    }
}

TEST_CASE("bad drive, noise and readout settings are refused with exit 2 naming the key",
          "[cli][drive][bad-input]") {
    test::ScratchDir dir;
    io::write_npy(dir / "star.npy", star, {4, 3});
    {
        io::Handle file = io::create_file(dir / "wrong.h5");
        io::write_doubles(file.id(), "drive", std::vector<double>(30, 0.0), {10, 3});
    }
    const std::string grid = "--grid.file=star.npy", out = "--output.file=out.h5";
    std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--noise.sigma=-0.1"}, "noise.sigma"},
        {{"--drive.radius=-1"}, "drive.radius"},
        {{"--drive.length=-0.5"}, "drive.length"},
        {{"--drive.file=wrong.h5"}, "drive.file"},
        {{"--drive.center=0.01,0.02"}, "drive.center"},
        {{"--drive.shape=square"}, "drive.shape"},
        {{"--output.sources=7"}, "output.sources"},
        {{"--output.sources=sphere 0 0"}, "output.sources"},
        {{"--output.mean=maybe"}, "output.mean"},
    };

    for (const auto& [extra, culprit] : cases) {
        std::vector<std::string> args{"simulate", grid, out, "--simulation.duration=0.01"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto before = dir.files();

        auto run = test::massnet(args, dir.path());

        INFO(extra.front());
        CHECK(run.code == 2);
        CHECK_THAT(run.err, Catch::Contains(culprit));
        CHECK(dir.files() == before);
    }
}
