#pragma once
// Helpers shared by the tests: where the data is, running the massnet tool, scratch folders.
#include <filesystem>
#include <string>
#include <vector>

namespace test {

/// A file under tests/data.
std::string data(const std::string& name);

/// The result of running a command: exit code and what it printed.
struct Run {
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs `massnet` with the arguments (each quoted for the shell), in `dir` if given.
Run massnet(const std::vector<std::string>& args, const std::string& dir = "");
/// Runs `mpiexec -n ranks massnet args` (oversubscribed, allowed as root).
Run massnet_mpi(int ranks, const std::vector<std::string>& args, const std::string& env = "");
/// Runs a shell command line.
Run shell(const std::string& command);

/// A fresh, empty folder removed when the object goes.
class ScratchDir {
  public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string path() const { return path_.string(); }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    /// The names of the files in the folder, sorted.
    std::vector<std::string> files() const;

  private:
    std::filesystem::path path_;
};

/// 27 sources on a 1 cm cube lattice as a text grid, one "x y, z" line each [m] (a comma and
/// spaces, both allowed as separators).
std::string cube_grid();

/// /report/<population>/data of a massnet simulation output, row-major (steps x columns).
std::vector<double> activity(const std::string& path, const std::string& population = "sources");

/// Writes `text` to `path`.
void write_text(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);

}  // namespace test
