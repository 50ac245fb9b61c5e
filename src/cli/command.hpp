#pragma once
// The subcommands of the massnet tool. Each lives in its own file and registers itself here, so
// main only dispatches.
#include <massnet/parallel/comm.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace massnet::cli {

/// Prints whole lines from rank 0 only; the library never prints.
class Console {
  public:
    explicit Console(const Comm& comm) : root_(comm.is_root()) {}
    void line(const std::string& text) const;
    void error(const std::string& text) const;
    bool root() const { return root_; }

  private:
    bool root_;
};

/// What a subcommand is run with.
struct Invocation {
    std::vector<std::string> args;  ///< the tokens after the subcommand's name
    std::string command_line;       ///< the whole command line, for provenance
    const Comm& comm;
    const Console& console;
};

struct Command {
    std::string name;
    std::string summary;
    int order;  ///< position in `massnet --help`
    int (*run)(const Invocation&);
};

std::vector<Command>& commands();

struct Registration {
    explicit Registration(Command command) { commands().push_back(std::move(command)); }
};

/// Refuses to run a single-process utility under more than one MPI rank.
void require_single_rank(const Invocation& inv, const std::string& name);

}  // namespace massnet::cli
