#pragma once
// The signals a run answers: SIGUSR1 and SIGTERM ask for a checkpoint and a clean stop (what a
// batch system sends before a time limit), SIGINT (Ctrl-C) for a stop that keeps nothing.
namespace massnet::cli {

/// What the ranks agree to do at a step boundary; larger values win.
enum StopRequest : int {
    keep_going = 0,
    take_checkpoint = 1,      ///< the checkpoint interval has passed
    checkpoint_and_stop = 2,  ///< SIGUSR1 or SIGTERM
    interrupt = 3,            ///< SIGINT
};

/// Installs the handlers; call once before the step loop.
void install_stop_handlers();
/// The strongest request received by a signal so far on this process.
StopRequest signalled_request();

}  // namespace massnet::cli
