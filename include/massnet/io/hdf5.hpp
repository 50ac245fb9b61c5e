#pragma once
// A thin RAII layer over the HDF5 C API: files, groups, datasets and attributes of the types
// massnet uses. Errors become massnet::Error (or InputError when reading a user's file).
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include <mpi.h>

namespace massnet::io {

/// Owns one HDF5 identifier and closes it with the right function.
class Handle {
  public:
    Handle() = default;
    explicit Handle(hid_t id) : id_(id) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
    Handle& operator=(Handle&& other) noexcept;
    ~Handle() { close(); }

    hid_t id() const { return id_; }
    bool valid() const { return id_ >= 0; }
    void close();

  private:
    hid_t id_ = H5I_INVALID_HID;
};

/// An N-dimensional array read from a file, row-major.
template <class T>
struct Array {
    std::vector<hsize_t> dims;
    std::vector<T> data;
    std::size_t rank() const { return dims.size(); }
};

/// Silences HDF5's own error printing; massnet reports errors itself.
void quiet_hdf5_errors();

/// Opens an existing file for reading; a missing or non-HDF5 file is an InputError naming `what`.
Handle open_for_reading(const std::string& path, const std::string& what);
/// Creates (truncates) a file for writing by this process alone.
Handle create_file(const std::string& path);
/// Creates (truncates) a file that every rank of `comm` writes to (collective).
Handle create_file_parallel(const std::string& path, MPI_Comm comm);
/// Opens an existing file for reading and writing by this process alone.
Handle open_for_writing(const std::string& path);

bool has_object(hid_t loc, const std::string& path);
/// Creates the group at `path` and any missing parents.
Handle create_group(hid_t loc, const std::string& path);

/// Reads a whole float64 (or convertible) dataset; a missing dataset is an InputError naming
/// `what` (for example the file and the option that pointed at it).
Array<double> read_doubles(hid_t loc, const std::string& path, const std::string& what);
Array<std::int64_t> read_int64s(hid_t loc, const std::string& path, const std::string& what);

/// Writes a whole dataset (contiguous) of the given shape; an empty `dims` writes a scalar.
void write_doubles(hid_t loc, const std::string& path, const std::vector<double>& data,
                   const std::vector<hsize_t>& dims);
void write_int64s(hid_t loc, const std::string& path, const std::vector<std::int64_t>& data,
                  const std::vector<hsize_t>& dims);

void write_attribute(hid_t loc, const std::string& name, double value);
void write_attribute(hid_t loc, const std::string& name, std::int64_t value);
void write_attribute(hid_t loc, const std::string& name, const std::string& value);
void write_attribute(hid_t loc, const std::string& name, const std::vector<double>& values);
void write_attribute(hid_t loc, const std::string& name, const std::vector<std::int64_t>& values);

bool has_attribute(hid_t loc, const std::string& name);
double read_double_attribute(hid_t loc, const std::string& name);
std::int64_t read_int64_attribute(hid_t loc, const std::string& name);
std::string read_string_attribute(hid_t loc, const std::string& name);
std::vector<double> read_doubles_attribute(hid_t loc, const std::string& name);
std::vector<std::int64_t> read_int64s_attribute(hid_t loc, const std::string& name);

}  // namespace massnet::io
