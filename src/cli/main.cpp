// massnet: neural mass networks with conduction delays, and the teaching utilities beside them.
#include <massnet/error.hpp>
#include <massnet/parallel/comm.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "build_info.hpp"
#include "cli/command.hpp"

namespace massnet::cli {

std::vector<Command>& commands() {
    static std::vector<Command> all;
    return all;
}

void Console::line(const std::string& text) const {
    if (root_) std::cout << text << '\n' << std::flush;
}

void Console::error(const std::string& text) const {
    if (root_) std::cerr << "massnet: error: " << text << '\n' << std::flush;
}

void require_single_rank(const Invocation& inv, const std::string& name) {
    if (inv.comm.size() > 1)
        throw InputError(name + " runs on one process, not " + std::to_string(inv.comm.size()) +
                         " MPI ranks; run it without mpirun");
}

namespace {

void print_help(const Console& console) {
    auto list = commands();
    std::sort(list.begin(), list.end(), [](auto& a, auto& b) { return a.order < b.order; });
    console.line("massnet " + std::string(build::version) +
                 ": neural mass networks with conduction delays\n\n"
                 "Usage: massnet <command> [options]     (mpirun -n P massnet simulate ...)\n\n"
                 "Commands:");
    for (const auto& c : list) {
        std::string name = "  " + c.name;
        name.resize(std::max<std::size_t>(name.size() + 2, 16), ' ');
        console.line(name + c.summary);
    }
    console.line(
        "\nOptions:\n  -h, --help      this help; 'massnet <command> --help' for a command's\n"
        "  --version       version and git commit\n\n"
        "Exit codes: 0 success, 1 a run failed, 2 bad input (nothing written),\n"
        "3 stopped by a signal after writing a checkpoint.");
}

std::string join_command_line(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i)
        line += (i ? " " : "") + std::string(argv[i]);
    return line;
}

int dispatch(const std::vector<std::string>& args, const Invocation& base) {
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        print_help(base.console);
        return args.empty() ? exit_bad_input : exit_ok;
    }
    if (args[0] == "--version" || args[0] == "version") {
        base.console.line("massnet " + std::string(build::version) + " (git " + build::git_commit +
                          ")");
        return exit_ok;
    }
    for (const auto& c : commands())
        if (c.name == args[0]) {
            Invocation inv{
                {args.begin() + 1, args.end()}, base.command_line, base.comm, base.console};
            return c.run(inv);
        }
    throw InputError("unknown command '" + args[0] + "' (see 'massnet --help' for the commands)");
}

}  // namespace
}  // namespace massnet::cli

int main(int argc, char** argv) {
    using namespace massnet;
    MpiSession mpi(argc, argv);
    Comm comm;
    cli::Console console(comm);
    cli::Invocation base{{}, cli::join_command_line(argc, argv), comm, console};
    try {
        return cli::dispatch({argv + 1, argv + argc}, base);
    } catch (const Error& e) {
        if (comm.size() > 1 && !e.shared()) {
            // Only this rank saw the error: say so and take the others down with it.
            std::cerr << "massnet: error on rank " << comm.rank() << ": " << e.what() << std::endl;
            MPI_Abort(MPI_COMM_WORLD, e.code());
        }
        console.error(e.what());
        if (comm.size() == 1) {
            // A failed write can leave parallel HDF5 with a file it cannot close, and its clean-up
            // inside MPI_Finalize would then crash; the error is reported, so leave at once.
            std::fflush(nullptr);
            std::_Exit(e.code());
        }
        return e.code();
    } catch (const std::exception& e) {
        std::cerr << "massnet: error on rank " << comm.rank() << ": " << e.what() << std::endl;
        if (comm.size() > 1) MPI_Abort(MPI_COMM_WORLD, exit_failure);
        return exit_failure;
    }
}
