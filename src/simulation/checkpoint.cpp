#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/simulation/checkpoint.hpp>

#include <filesystem>

#include "util/files.hpp"

namespace massnet {

void write_checkpoint(const std::string& path, const Checkpoint& c,
                      const std::vector<Attribute>& provenance) {
    const std::string partial = util::temporary_name(path);
    try {
        io::Handle file = io::create_file(partial);
        io::write_doubles(file.id(), "history", c.history,
                          {static_cast<hsize_t>(c.sources), static_cast<hsize_t>(c.max_delay)});
        write_attributes(file.id(), provenance);
        write_attributes(file.id(), {{"massnet_kind", std::string("checkpoint")},
                                     {"config", c.config},
                                     {"run_id", static_cast<std::int64_t>(c.run_id)},
                                     {"step", c.step},
                                     {"written_rows", c.written_rows},
                                     {"sources", c.sources},
                                     {"T", c.max_delay},
                                     {"complete", std::int64_t{1}}});
        if (H5Fflush(file.id(), H5F_SCOPE_GLOBAL) < 0) throw Error("cannot flush " + partial);
        file.close();
        util::commit_file(partial, path);
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(partial, ec);
        throw;
    }
}

Checkpoint read_checkpoint(const std::string& path) {
    const std::string what = "--restart '" + path + "'";
    io::Handle file = io::open_for_reading(path, "--restart");
    auto attribute_or_refuse = [&](const char* name) {
        if (!io::has_attribute(file.id(), name))
            throw InputError(what + ": not a complete massnet checkpoint (no '" + name + "')");
    };
    for (const char* name :
         {"massnet_kind", "complete", "config", "run_id", "step", "written_rows", "sources", "T"})
        attribute_or_refuse(name);
    if (io::read_string_attribute(file.id(), "massnet_kind") != "checkpoint")
        throw InputError(what + ": a massnet file of kind '" +
                         io::read_string_attribute(file.id(), "massnet_kind") +
                         "', not a checkpoint");
    Checkpoint c;
    c.config = io::read_string_attribute(file.id(), "config");
    c.run_id = static_cast<std::uint64_t>(io::read_int64_attribute(file.id(), "run_id"));
    c.step = io::read_int64_attribute(file.id(), "step");
    c.written_rows = io::read_int64_attribute(file.id(), "written_rows");
    c.sources = io::read_int64_attribute(file.id(), "sources");
    c.max_delay = io::read_int64_attribute(file.id(), "T");
    auto history = io::read_doubles(file.id(), "history", what);
    if (history.dims !=
        std::vector<hsize_t>{static_cast<hsize_t>(c.sources), static_cast<hsize_t>(c.max_delay)})
        throw InputError(what + ": its history does not have the shape sources x T it records");
    c.history = std::move(history.data);
    if (c.step < 0 || c.written_rows < 0) throw InputError(what + ": negative step or row count");
    return c;
}

}  // namespace massnet
