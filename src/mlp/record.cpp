#include <massnet/io/hdf5.hpp>
#include <massnet/mlp/neuron.hpp>
#include <massnet/mlp/record.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "build_info.hpp"
#include "util/files.hpp"

namespace massnet::mlp {

void save_hdf5(const std::string& path, const std::function<void(hid_t)>& write) {
    std::string partial = util::temporary_name(path);
    try {
        {
            io::Handle file = io::create_file(partial);
            write(file.id());
        }  // closed, so complete on disk, before it takes the final name
        util::commit_file(partial, path);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        throw;
    }
}

void save_record(const OutputSettings& out, const std::string& kind,
                 const std::string& command_line, const std::function<void(hid_t)>& write) {
    if (out.path.empty()) return;
    save_hdf5(out.path, [&](hid_t file) {
        write_provenance(file, kind, command_line);
        write(file);
    });
}

void write_provenance(hid_t file, const std::string& kind, const std::string& command_line) {
    io::write_attribute(file, "massnet_kind", kind);
    io::write_attribute(file, "massnet_version",
                        std::string(build::version) + " (git " + build::git_commit + ")");
    io::write_attribute(file, "command_line", command_line);
}

void write_training(hid_t file, const TrainingSettings& s, const TrainingRun& run,
                    const Network& trained, const std::vector<double>& errors) {
    if (s.single_neuron) {
        write_neuron(file, "initial", as_neuron(run.initial));
        write_neuron(file, "trained", as_neuron(trained));
    } else {
        write_network(file, "initial", run.initial);
        write_network(file, "trained", trained);
        auto sizes = trained.sizes();
        io::write_attribute(file, "layers", std::vector<std::int64_t>(sizes.begin(), sizes.end()));
    }
    io::write_doubles(file, "errors", errors, {errors.size()});
    write_samples(file, run.samples, s.single_neuron);

    io::write_attribute(file, "task", run.task ? name_of(*run.task) : std::string("samples"));
    if (!s.samples.empty()) io::write_attribute(file, "samples_file", s.samples);
    if (!s.init.empty()) io::write_attribute(file, "init_file", s.init);
    io::write_attribute(file, "transfer", name_of(run.transfer.kind));
    io::write_attribute(file, "slope", run.transfer.slope);
    io::write_attribute(file, "rate", run.rate);
    io::write_attribute(file, "iterations", static_cast<std::int64_t>(errors.size()));
    io::write_attribute(file, "seed", static_cast<std::int64_t>(s.seed));
}

std::vector<std::string> aligned_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    }
    std::vector<std::string> lines;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c > 0) line += "  ";
            line += std::string(widths[c] - row[c].size(), ' ') + row[c];
        }
        lines.push_back(line);
    }
    return lines;
}

}  // namespace massnet::mlp
