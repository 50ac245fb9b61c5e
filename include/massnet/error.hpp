#pragma once
// The errors massnet reports. Each is thrown once, where it is found, and caught once in main.
#include <stdexcept>
#include <string>

namespace massnet {

/// Exit codes of the command line tool (documented in docs/reliability.md).
enum ExitCode : int {
    exit_ok = 0,
    exit_failure = 1,        ///< a run failed: I/O error, out of memory, an MPI failure
    exit_bad_input = 2,      ///< the input was refused before any work: files, options, values
    exit_checkpointed = 3,   ///< stopped by a signal after writing a checkpoint; restart to go on
    exit_interrupted = 130,  ///< stopped by SIGINT (Ctrl-C); the partial output is removed
};

/// Base of every massnet error; `code()` is the exit code the command line tool uses.
class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& what, int code = exit_failure)
        : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }
    /// Whether every rank holds this same error (raised through Comm::together), so that the
    /// ranks can end together instead of one rank aborting the job.
    bool shared() const { return shared_; }
    void mark_shared() { shared_ = true; }

  private:
    int code_;
    bool shared_ = false;
};

/// Bad input from the user: a file, an option or a value. The message names the culprit,
/// the value seen and what is allowed.
class InputError : public Error {
  public:
    explicit InputError(const std::string& what) : Error(what, exit_bad_input) {}
};

}  // namespace massnet
