#include "cli/signals.hpp"

#include <csignal>
#include <initializer_list>

namespace massnet::cli {
namespace {

volatile std::sig_atomic_t received = keep_going;

extern "C" void on_stop_signal(int signal) {
    StopRequest request = signal == SIGINT ? interrupt : checkpoint_and_stop;
    if (request > received) received = request;
}

}  // namespace

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signal : {SIGUSR1, SIGTERM, SIGINT})
        sigaction(signal, &action, nullptr);
}

StopRequest signalled_request() {
    return static_cast<StopRequest>(received);
}

}  // namespace massnet::cli
