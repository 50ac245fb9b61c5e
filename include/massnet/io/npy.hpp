#pragma once
// Reading and writing NumPy .npy files (format versions 1 and 2, little-endian float64 or
// float32, C order), the format users keep source grids and histories in.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace massnet::io {

struct NpyArray {
    std::vector<std::size_t> shape;
    std::vector<double> data;  ///< row-major, converted to double
};

/// Parses a whole .npy file held in memory; `what` names the source in error messages.
/// Every defect (magic, version, header, dtype, order, size) is an InputError.
NpyArray parse_npy(std::string_view bytes, const std::string& what);

/// Reads a .npy file; a missing, unreadable or malformed file is an InputError naming `what`.
NpyArray read_npy(const std::string& path, const std::string& what);

/// Writes a float64 .npy file (version 1.0).
void write_npy(const std::string& path, const std::vector<double>& data,
               const std::vector<std::size_t>& shape);

}  // namespace massnet::io
