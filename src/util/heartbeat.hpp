#pragma once
// A file whose modification time says that a process is still alive: written when it starts,
// touched from a background thread every `interval`, removed when it ends. A process killed
// without warning (SLURM's time limit, the OOM killer, a lost node) leaves it behind, ageing,
// so that another process, on any node, can tell a live run from a dead one by its age.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace massnet::util {

class Heartbeat {
  public:
    /// Writes `path` (host name and process id, for people) and starts the touching.
    /// Failing to write it is not an error: the heartbeat only informs.
    Heartbeat(std::string path, std::chrono::milliseconds interval);
    ~Heartbeat();  ///< stops the thread and removes the file
    Heartbeat(const Heartbeat&) = delete;
    Heartbeat& operator=(const Heartbeat&) = delete;

  private:
    void write() const;
    std::string path_;
    std::chrono::milliseconds interval_;
    std::mutex lock_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace massnet::util
