#include "util/files.hpp"

#include <massnet/error.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace massnet::util {

std::string read_whole_file(const std::string& path, const std::string& what) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw InputError(what + ": file '" + path + "' does not exist");
    if (std::filesystem::is_directory(path, ec))
        throw InputError(what + ": '" + path + "' is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(what + ": cannot read '" + path + "' (" + std::strerror(errno) + ")");
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) throw InputError(what + ": error while reading '" + path + "'");
    return content.str();
}

void check_output_path(const std::string& path, bool force, const std::string& option) {
    namespace fs = std::filesystem;
    if (path.empty()) throw InputError(option + ": no output file given");
    std::error_code ec;
    fs::path target(path);
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
        throw InputError(option + ": the directory '" + dir.string() + "' of '" + path +
                         "' does not exist");
    if (fs::is_directory(target, ec))
        throw InputError(option + ": '" + path + "' is a directory, not a file");
    if (fs::exists(target, ec) && !force)
        throw InputError(option + ": '" + path +
                         "' exists; pass --force to overwrite it or choose another name");
    if (::access(dir.c_str(), W_OK) != 0)
        throw InputError(option + ": the directory '" + dir.string() + "' is not writable");
}

void check_free_space(const std::string& path, std::int64_t bytes, const std::string& option) {
    namespace fs = std::filesystem;
    fs::path target(path);
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    const fs::space_info space = fs::space(dir, ec);
    if (ec || static_cast<std::uintmax_t>(bytes) <= space.available) return;
    char sizes[96];
    std::snprintf(sizes, sizeof sizes, "about %.1f MB but the disk has %.1f MB free", bytes / 1e6,
                  static_cast<double>(space.available) / 1e6);
    throw InputError(option + ": '" + path + "' needs " + sizes +
                     " (allowed: an output that fits; free space or choose another disk)");
}

std::string temporary_name(const std::string& path) {
    namespace fs = std::filesystem;
    fs::path target(path);
    std::string name = "." + target.filename().string() + ".partial";
    return (target.has_parent_path() ? target.parent_path() / name : fs::path(name)).string();
}

void commit_file(const std::string& from, const std::string& to) {
    std::error_code ec;
    std::filesystem::rename(from, to, ec);
    if (ec) throw Error("cannot rename '" + from + "' to '" + to + "': " + ec.message());
}

}  // namespace massnet::util
