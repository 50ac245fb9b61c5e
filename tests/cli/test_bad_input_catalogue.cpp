// A catalogue of bad input across the subcommands. Every case is refused with exit code 2 and a
// one-line message that names the culprit, creates no file (hidden ones included) and leaves the
// file already at its output name byte for byte as it was, even where --force is given.
#include <catch2/catch.hpp>

#include <massnet/io/hdf5.hpp>

#include <filesystem>

#include "support.hpp"

using namespace massnet;
namespace fs = std::filesystem;

namespace {

const std::string sentinel = "sentinel: an earlier result that must survive\n";

struct Case {
    std::string name;
    std::vector<std::string> args;      // the whole command line after "massnet"
    std::vector<std::string> culprits;  // the message must name each of these
    std::string output;                 // where a sentinel waits, relative to the folder ("": none)
};

// Three sources 1 cm apart, one "x y z" line each [m].
const std::string small_grid = "0 0 0\n0.01 0 0\n0 0.01 0\n";

// `massnet simulate` with `args`, writing out.h5 over the sentinel there (--force).
std::vector<std::string> simulate_over_sentinel(std::vector<std::string> args) {
    args.insert(args.begin(), "simulate");
    args.insert(args.end(), {"--output.file=out.h5", "--force"});
    return args;
}

// A .npy file byte by byte: the magic, the format version, then the header as version 1 and 2
// lay it out (2- or 4-byte length), padded to 64 bytes, then the payload.
std::string npy_bytes(const std::string& magic, int version, const std::string& dict,
                      const std::string& payload) {
    const std::size_t length_bytes = version == 1 ? 2 : 4;
    std::string header = dict;
    const std::size_t total = 8 + length_bytes + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::string out = magic;
    out += static_cast<char>(version);
    out += '\0';
    for (std::size_t b = 0; b < length_bytes; ++b)
        out += static_cast<char>((header.size() >> (8 * b)) & 0xff);
    return out + header + payload;
}

std::string npy_dict(const std::string& descr, const std::string& order, const std::string& shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }";
}

// Every file the cases read, written into `dir`.
void write_fixtures(const test::ScratchDir& dir) {
    const std::string magic = "\x93NUMPY";
    const std::string six_doubles(48, '\0');
    test::write_text(dir / "grid.txt", small_grid);
    test::write_text(dir / "bad-magic.npy",
                     npy_bytes("\x93NUMPZ", 1, npy_dict("<f8", "False", "(2, 3)"), six_doubles));
    test::write_text(dir / "v3.npy",
                     npy_bytes(magic, 3, npy_dict("<f8", "False", "(2, 3)"), six_doubles));
    test::write_text(dir / "big-endian.npy",
                     npy_bytes(magic, 1, npy_dict(">f8", "False", "(2, 3)"), six_doubles));
    test::write_text(dir / "fortran.npy",
                     npy_bytes(magic, 1, npy_dict("<f8", "True", "(2, 3)"), six_doubles));
    test::write_text(dir / "rank3.npy",
                     npy_bytes(magic, 1, npy_dict("<f8", "False", "(2, 3, 1)"), six_doubles));
    // A version 1 header that says it is 4,000 bytes long, in a file of 128.
    std::string long_header = npy_bytes(magic, 1, npy_dict("<f8", "False", "(2, 3)"), "");
    long_header[8] = static_cast<char>(4000 & 0xff);
    long_header[9] = static_cast<char>(4000 >> 8);
    test::write_text(dir / "long-header.npy", long_header);

    std::vector<double> coordinates(27 * 3, 0.0);
    for (std::size_t i = 0; i < coordinates.size(); ++i)
        coordinates[i] = 0.01 * static_cast<double>(i % 7);
    {
        io::Handle file = io::create_file(dir / "positions.h5");
        io::write_doubles(file.id(), "positions", coordinates, {27, 3});
    }
    {
        io::Handle file = io::create_file(dir / "flat.h5");
        io::write_doubles(file.id(), "positions", coordinates, {81});
    }
    test::write_text(dir / "fake.h5", "0 0 0\n");
    test::write_text(dir / "short-row.txt", "0 0 0\n0.01 0\n0 0.01 0\n");
    test::write_text(dir / "stray-word.txt", "0 0 0\n0.01 0 0\n0 north 0\n");

    test::write_text(dir / "unknown-section.ini", "[grid]\nfile = grid.txt\n[network]\nsize = 3\n");
    test::write_text(dir / "duplicate-key.ini",
                     "[grid]\nfile = grid.txt\n[delays]\nspeed = 1\nspeed = 2\n");
    test::write_text(dir / "out-of-range.ini", "[grid]\nfile = grid.txt\n[delays]\nspeed = -1\n");
    test::write_text(dir / "short-list.ini",
                     "[grid]\nfile = grid.txt\n[weights]\namplitudes = 0.03\ndecays = 10, 50\n");
    test::write_text(dir / "grid-dir.ini", "[grid]\nfile = positions\n");
    test::write_text(dir / "initial-dir.ini",
                     "[grid]\nfile = grid.txt\n[simulation]\ninitial = history\n");
    test::write_text(dir / "malformed.ini",
                     "[grid]\nfile = grid.txt\n[simulation]\nduration = 0,5\n");
    test::write_text(dir / "missing-dir.ini",
                     "[grid]\nfile = grid.txt\n[output]\nfile = nowhere/out.h5\n");
    fs::create_directory(dir / "positions");
    fs::create_directory(dir / "history");
    fs::create_directory(dir / "results");

    test::write_text(dir / "sweep-unknown.ini",
                     "[grid]\nfile = grid.txt\n[sweep]\ndelays.velocity = 1, 2\n");
    test::write_text(dir / "sweep-twice.ini",
                     "[grid]\nfile = grid.txt\n[sweep]\ndelays.speed = 1, 2\ndelays.speed = 3\n");
    test::write_text(dir / "sweep.ini", "[grid]\nfile = grid.txt\n[sweep]\ndelays.speed = 1, 2\n");
    fs::create_directory(dir / "runs");
    test::write_text(dir / "runs/run-0000.ini", "[grid]\nfile = ../grid.txt\n");
    test::write_text(dir / "runs/manifest.csv", "index,delays.speed,output\n0,1,run-0000.h5\n");
    fs::create_directory(dir / "empty-folder");
}

// Every file and folder below `root`, hidden ones included, as paths relative to it.
std::vector<std::string> tree(const std::string& root) {
    std::vector<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        names.push_back(fs::relative(entry.path(), root).string());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<Case> grid_cases() {
    auto simulate = simulate_over_sentinel;
    return {
        {"npy grid with the wrong magic bytes",
         simulate({"--grid.file=bad-magic.npy"}),
         {"bad-magic.npy", "magic"},
         "out.h5"},
        {"npy grid of format version 3",
         simulate({"--grid.file=v3.npy"}),
         {"v3.npy", "version 3"},
         "out.h5"},
        {"npy grid of big-endian doubles",
         simulate({"--grid.file=big-endian.npy"}),
         {"big-endian.npy", "'>f8'"},
         "out.h5"},
        {"npy grid in Fortran order",
         simulate({"--grid.file=fortran.npy"}),
         {"fortran.npy", "Fortran"},
         "out.h5"},
        {"npy grid of shape (2, 3, 1)",
         simulate({"--grid.file=rank3.npy"}),
         {"rank3.npy", "(2, 3, 1)", "(N, 3)"},
         "out.h5"},
        {"npy grid whose header is longer than the file",
         simulate({"--grid.file=long-header.npy"}),
         {"long-header.npy", "header is longer than the file"},
         "out.h5"},
        {"HDF5 grid without the grid.dataset",
         simulate({"--grid.file=positions.h5", "--grid.dataset=coords"}),
         {"positions.h5", "grid.dataset", "'coords'"},
         "out.h5"},
        {"HDF5 grid dataset of rank 1",
         simulate({"--grid.file=flat.h5"}),
         {"flat.h5", "(81)", "(N, 3)"},
         "out.h5"},
        {"HDF5 grid that is not HDF5",
         simulate({"--grid.file=fake.h5"}),
         {"fake.h5", "HDF5"},
         "out.h5"},
        {"text grid with a missing column",
         simulate({"--grid.file=short-row.txt"}),
         {"short-row.txt", "line 2", "2 numbers"},
         "out.h5"},
        {"text grid with a stray word",
         simulate({"--grid.file=stray-word.txt"}),
         {"stray-word.txt", "line 3", "'north'"},
         "out.h5"},
    };
}

std::vector<Case> config_cases() {
    auto simulate = simulate_over_sentinel;
    return {
        {"config with an unknown section",
         simulate({"unknown-section.ini"}),
         {"unknown-section.ini", "network.size"},
         "out.h5"},
        {"config with a duplicated key",
         simulate({"duplicate-key.ini"}),
         {"duplicate-key.ini", "delays.speed"},
         "out.h5"},
        {"config with a value out of range",
         simulate({"out-of-range.ini"}),
         {"delays.speed", "-1", "> 0"},
         "out.h5"},
        {"config with fewer amplitudes than decays",
         simulate({"short-list.ini"}),
         {"weights.amplitudes", "weights.decays"},
         "out.h5"},
        {"config whose grid.file is a directory",
         simulate({"grid-dir.ini"}),
         {"grid.file", "positions", "directory"},
         "out.h5"},
        {"config whose simulation.initial is a directory",
         simulate({"initial-dir.ini"}),
         {"simulation.initial", "history", "directory"},
         "out.h5"},
        {"config with a malformed number",
         simulate({"malformed.ini"}),
         {"simulation.duration", "'0,5'", "not a number"},
         "out.h5"},
        {"config file that does not exist",
         simulate({"absent.ini"}),
         {"absent.ini", "does not exist"},
         "out.h5"},
        {"grid.file holding a '#'",
         simulate({"--grid.file=grid#2.txt"}),
         {"grid.file", "'grid#2.txt'"},
         "out.h5"},
        {"checkpoint.file in a missing directory",
         simulate({"--grid.file=grid.txt", "--checkpoint.file=nowhere/run.ckpt.h5"}),
         {"checkpoint.file", "nowhere"},
         "out.h5"},
        {"checkpoint.file the same as output.file",
         simulate({"--grid.file=grid.txt", "--checkpoint.file=out.h5"}),
         {"checkpoint.file", "out.h5"},
         "out.h5"},
        {"memory limit in an unknown unit",
         simulate({"--grid.file=grid.txt", "--memory-limit", "8Q"}),
         {"--memory-limit", "'8Q'"},
         "out.h5"},
    };
}

std::vector<Case> output_cases() {
    const std::string net221 = test::data("mlp_xor_2-2-1.h5");
    return {
        {"simulate output.file in a missing directory",
         {"simulate", "missing-dir.ini"},
         {"output.file", "nowhere"},
         ""},
        {"network output.file in a missing directory",
         {"network", "--grid.file=grid.txt", "--output.file=nowhere/net.h5"},
         {"output.file", "nowhere"},
         ""},
        {"neuron --out in a missing directory",
         {"neuron", "--iterations", "10", "--out", "nowhere/n.h5"},
         {"--out", "nowhere"},
         ""},
        {"mlp train --out in a missing directory",
         {"mlp", "train", "--iterations", "10", "--out", "nowhere/m.h5"},
         {"--out", "nowhere"},
         ""},
        {"sweep expand --out under a missing directory",
         {"sweep", "expand", "sweep.ini", "--out", "nowhere/runs"},
         {"--out", "nowhere"},
         ""},
        {"neuron --out that is a directory",
         {"neuron", "--iterations", "10", "--out", "results", "--force"},
         {"--out", "results", "directory"},
         ""},
        {"simulate over an existing output without --force",
         {"simulate", "--grid.file=grid.txt", "--simulation.duration=0.01", "--output.file=out.h5"},
         {"output.file", "out.h5", "--force"},
         "out.h5"},
        {"network over an existing output without --force",
         {"network", "--grid.file=grid.txt", "--output.file=net.h5"},
         {"output.file", "net.h5", "--force"},
         "net.h5"},
        {"neuron over an existing output without --force",
         {"neuron", "--iterations", "10", "--out", "n.h5"},
         {"--out", "n.h5", "--force"},
         "n.h5"},
        {"mlp connectivity over an existing output without --force",
         {"mlp", "connectivity", "--network", net221, "--out", "c.h5"},
         {"--out", "c.h5", "--force"},
         "c.h5"},
        {"mlp study over an existing output without --force",
         {"mlp", "study", "--trials", "2", "--iterations", "10", "--out", "s.h5"},
         {"--out", "s.h5", "--force"},
         "s.h5"},
    };
}

std::vector<Case> command_cases() {
    const std::string net221 = test::data("mlp_xor_2-2-1.h5");
    return {
        {"unknown subcommand", {"simulat", "--grid.file=grid.txt"}, {"'simulat'"}, ""},
        {"unknown mlp command", {"mlp", "trian", "--out", "m.h5"}, {"'trian'"}, "m.h5"},
        {"unknown sweep command", {"sweep", "expnd", "sweep.ini"}, {"'expnd'"}, ""},
        {"neuron --rate that is not a number",
         {"neuron", "--rate", "fast", "--out", "n.h5", "--force"},
         {"--rate", "fast"},
         "n.h5"},
        {"neuron --samples that is not HDF5",
         {"neuron", "--samples", "grid.txt", "--out", "n.h5", "--force"},
         {"--samples", "grid.txt", "HDF5"},
         "n.h5"},
        {"mlp propagate with one input for a network of two",
         {"mlp", "propagate", "--connectivity", net221, "--input", "1", "--out", "p.h5", "--force"},
         {"--input", "'1'", "2 inputs"},
         "p.h5"},
        {"mlp connectivity of a group the file lacks",
         {"mlp", "connectivity", "--network", net221, "--group", "final", "--out", "c.h5",
          "--force"},
         {"--group", "final"},
         "c.h5"},
        {"sweep expand with an unknown key over an earlier sweep",
         {"sweep", "expand", "sweep-unknown.ini", "--out", "runs", "--force"},
         {"sweep-unknown.ini", "'delays.velocity'"},
         "runs/manifest.csv"},
        {"sweep expand with a key swept twice",
         {"sweep", "expand", "sweep-twice.ini", "--out", "runs", "--force"},
         {"delays.speed", "twice"},
         "runs/manifest.csv"},
        {"sweep expand with a setting on the command line",
         {"sweep", "expand", "sweep.ini", "--out", "runs", "--force", "--delays.speed=3"},
         {"--delays.speed=3"},
         "runs/manifest.csv"},
        {"sweep run of an index beyond the runs",
         {"sweep", "run", "runs", "--index", "5", "--force"},
         {"5", "out of range"},
         "runs/run-0000.ini"},
        {"sweep status of a folder without a sweep",
         {"sweep", "status", "empty-folder"},
         {"empty-folder"},
         ""},
    };
}

}  // namespace

TEST_CASE("each catalogued bad input exits 2 naming the culprit and leaves every file as it was",
          "[catalogue][cli][bad-input]") {
    std::vector<Case> cases;
    for (auto group : {grid_cases(), config_cases(), output_cases(), command_cases()})
        cases.insert(cases.end(), group.begin(), group.end());
    REQUIRE(cases.size() >= 25);

    for (const auto& c : cases) {
        SECTION(c.name) {
            test::ScratchDir dir;
            write_fixtures(dir);
            if (!c.output.empty()) test::write_text(dir / c.output, sentinel);
            const auto before = tree(dir.path());

            auto run = test::massnet(c.args, dir.path());

            INFO(run.err);
            CHECK(run.code == 2);
            CHECK(run.err.rfind("massnet: error: ", 0) == 0);
            CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
            for (const auto& culprit : c.culprits)
                CHECK_THAT(run.err, Catch::Contains(culprit));
            CHECK(tree(dir.path()) == before);
            if (!c.output.empty()) CHECK(test::read_text(dir / c.output) == sentinel);
        }
    }
}
