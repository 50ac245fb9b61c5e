#include "util/heartbeat.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace massnet::util {

namespace fs = std::filesystem;

Heartbeat::Heartbeat(std::string path, std::chrono::milliseconds interval)
    : path_(std::move(path)), interval_(interval) {
    write();
    thread_ = std::thread([this] {
        std::unique_lock<std::mutex> guard(lock_);
        while (!wake_.wait_for(guard, interval_, [this] { return stop_; })) {
            std::error_code ec;
            fs::last_write_time(path_, fs::file_time_type::clock::now(), ec);
            if (ec) write();  // removed meanwhile: write it again
        }
    });
}

Heartbeat::~Heartbeat() {
    {
        std::lock_guard<std::mutex> guard(lock_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
    std::error_code ec;
    fs::remove(path_, ec);
}

void Heartbeat::write() const {
    char host[256] = "?";
    gethostname(host, sizeof host - 1);
    std::ofstream out(path_, std::ios::trunc);
    out << "host " << host << " pid " << getpid() << "\n";
}

}  // namespace massnet::util
