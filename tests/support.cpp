#include "support.hpp"

#include <massnet/io/hdf5.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace test {
namespace {

std::string quote(const std::string& arg) {
    std::string out = "'";
    for (char c : arg)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string unique_name() {
    static std::atomic<int> counter{0};
    std::random_device seed;
    return "massnet-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(seed() % 100000);
}

}  // namespace

std::string data(const std::string& name) {
    return std::string(MASSNET_TEST_DATA) + "/" + name;
}

Run shell(const std::string& command) {
    ScratchDir capture;
    std::string line =
        "(" + command + ") >" + quote(capture / "out") + " 2>" + quote(capture / "err");
    int status = std::system(line.c_str());
    Run run;
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = read_text(capture / "out");
    run.err = read_text(capture / "err");
    return run;
}

Run massnet(const std::vector<std::string>& args, const std::string& dir) {
    std::string line = dir.empty() ? "" : "cd " + quote(dir) + " && ";
    // Each child is a fresh MPI singleton; the variables keep Open MPI quiet under root.
    line += "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " + quote(MASSNET_EXE);
    for (const auto& a : args)
        line += " " + quote(a);
    return shell(line);
}

Run massnet_mpi(int ranks, const std::vector<std::string>& args, const std::string& env) {
    // The test process is an MPI singleton; its Open MPI variables must not reach mpiexec.
    std::string line =
        "for v in $(env | grep -oE '^(OMPI|PMIX|OPAL|ORTE)[A-Za-z0-9_]*'); do unset $v; done; env "
        "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " +
        env + " " + quote(MASSNET_MPIEXEC) + " -n " + std::to_string(ranks) + " --oversubscribe " +
        quote(MASSNET_EXE);
    for (const auto& a : args)
        line += " " + quote(a);
    return shell(line);
}

ScratchDir::ScratchDir() {
    path_ = std::filesystem::temp_directory_path() / unique_name();
    std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> ScratchDir::files() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string cube_grid() {
    std::string text;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 3; ++k)
                text += std::to_string(0.01 * i) + " " + std::to_string(0.01 * j) + ", " +
                        std::to_string(0.01 * k) + "\n";
    return text;
}

std::vector<double> activity(const std::string& path, const std::string& population) {
    massnet::io::Handle file = massnet::io::open_for_reading(path, "test");
    return massnet::io::read_doubles(file.id(), "/report/" + population + "/data", "test").data;
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace test
