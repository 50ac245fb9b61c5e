#pragma once
// What the teaching commands leave behind: HDF5 files written whole or not at all, with a record
// of how they were made, and aligned text tables for the console.
#include <massnet/mlp/network.hpp>
#include <massnet/mlp/training_run.hpp>

#include <hdf5.h>

#include <functional>
#include <string>
#include <vector>

namespace massnet::mlp {

/// Writes the file under a temporary name beside `path` with `write`, then renames it to `path`;
/// on any error the temporary file is removed and the error passed on.
void save_hdf5(const std::string& path, const std::function<void(hid_t)>& write);

/// When `out` names a file: saves it (as save_hdf5) with the provenance of `kind` and then what
/// `write` adds. Does nothing otherwise.
void save_record(const OutputSettings& out, const std::string& kind,
                 const std::string& command_line, const std::function<void(hid_t)>& write);

/// Root attributes `massnet_kind`, `massnet_version` and `command_line`.
void write_provenance(hid_t file, const std::string& kind, const std::string& command_line);

/// The golden layout of a trained neuron or network: `initial/..`, `trained/..`, `errors`,
/// `inputs`, `targets`, with the settings as root attributes.
void write_training(hid_t file, const TrainingSettings& s, const TrainingRun& run,
                    const Network& trained, const std::vector<double>& errors);

/// Rows of cells as lines with right-aligned columns two spaces apart.
std::vector<std::string> aligned_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace massnet::mlp
