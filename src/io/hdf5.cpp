#include <massnet/error.hpp>
#include <massnet/io/hdf5.hpp>

#include <filesystem>

namespace massnet::io {
namespace {

void check(herr_t status, const std::string& doing) {
    if (status < 0) throw Error("HDF5 failed while " + doing);
}

hid_t checked(hid_t id, const std::string& doing) {
    if (id < 0) throw Error("HDF5 failed while " + doing);
    return id;
}

Handle space_of(const std::vector<hsize_t>& dims) {
    if (dims.empty()) return Handle(checked(H5Screate(H5S_SCALAR), "creating a dataspace"));
    return Handle(checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                          "creating a dataspace"));
}

std::size_t element_count(const std::vector<hsize_t>& dims) {
    std::size_t count = 1;
    for (hsize_t d : dims)
        count *= d;
    return count;
}

// Creates the parents of `path` that are missing, so "a/b/c" can be written at once.
void create_parents(hid_t loc, const std::string& path) {
    for (auto slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        std::string parent = path.substr(0, slash);
        if (!has_object(loc, parent)) {
            Handle g(checked(H5Gcreate2(loc, parent.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                             "creating group " + parent));
        }
    }
}

template <class T>
Array<T> read_array(hid_t loc, const std::string& path, const std::string& what, hid_t mem_type) {
    if (!has_object(loc, path)) throw InputError(what + ": no dataset '" + path + "' in the file");
    Handle set(H5Dopen2(loc, path.c_str(), H5P_DEFAULT));
    if (!set.valid()) throw InputError(what + ": '" + path + "' is not a dataset");
    Handle type(checked(H5Dget_type(set.id()), "reading the type of " + path));
    H5T_class_t cls = H5Tget_class(type.id());
    if (cls != H5T_FLOAT && cls != H5T_INTEGER)
        throw InputError(what + ": dataset '" + path + "' is not numeric");
    Handle space(checked(H5Dget_space(set.id()), "reading the shape of " + path));
    int rank = H5Sget_simple_extent_ndims(space.id());
    if (rank < 0) throw InputError(what + ": dataset '" + path + "' has no simple shape");
    Array<T> out;
    out.dims.resize(static_cast<std::size_t>(rank));
    if (rank > 0) H5Sget_simple_extent_dims(space.id(), out.dims.data(), nullptr);
    out.data.resize(element_count(out.dims));
    if (!out.data.empty() &&
        H5Dread(set.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data.data()) < 0)
        throw InputError(what + ": cannot read dataset '" + path + "'");
    return out;
}

template <class T>
void write_array(hid_t loc, const std::string& path, const T* data,
                 const std::vector<hsize_t>& dims, hid_t file_type, hid_t mem_type) {
    create_parents(loc, path);
    Handle space = space_of(dims);
    Handle set(checked(
        H5Dcreate2(loc, path.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        "creating dataset " + path));
    if (element_count(dims) > 0)
        check(H5Dwrite(set.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
              "writing dataset " + path);
}

void write_attribute_raw(hid_t loc, const std::string& name, hid_t type, const void* data,
                         const std::vector<hsize_t>& dims) {
    if (H5Aexists(loc, name.c_str()) > 0) check(H5Adelete(loc, name.c_str()), "replacing " + name);
    // An empty list is stored with a null dataspace (a zero extent is not allowed).
    const bool empty = !dims.empty() && element_count(dims) == 0;
    Handle space =
        empty ? Handle(checked(H5Screate(H5S_NULL), "creating a dataspace")) : space_of(dims);
    Handle attr(checked(H5Acreate2(loc, name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                        "creating attribute " + name));
    if (!empty) check(H5Awrite(attr.id(), type, data), "writing attribute " + name);
}

Handle open_attribute(hid_t loc, const std::string& name) {
    if (H5Aexists(loc, name.c_str()) <= 0) throw InputError("missing attribute '" + name + "'");
    return Handle(checked(H5Aopen(loc, name.c_str(), H5P_DEFAULT), "opening attribute " + name));
}

}  // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        close();
        id_ = other.id_;
        other.id_ = H5I_INVALID_HID;
    }
    return *this;
}

void Handle::close() {
    if (id_ < 0) return;
    switch (H5Iget_type(id_)) {
        case H5I_FILE:
            H5Fclose(id_);
            break;
        case H5I_GROUP:
            H5Gclose(id_);
            break;
        case H5I_DATASET:
            H5Dclose(id_);
            break;
        case H5I_DATASPACE:
            H5Sclose(id_);
            break;
        case H5I_DATATYPE:
            H5Tclose(id_);
            break;
        case H5I_ATTR:
            H5Aclose(id_);
            break;
        case H5I_GENPROP_LST:
            H5Pclose(id_);
            break;
        default:
            break;
    }
    id_ = H5I_INVALID_HID;
}

void quiet_hdf5_errors() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Handle open_for_reading(const std::string& path, const std::string& what) {
    quiet_hdf5_errors();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw InputError(what + ": file '" + path + "' does not exist");
    if (std::filesystem::is_directory(path, ec))
        throw InputError(what + ": '" + path + "' is a directory, not a file");
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw InputError(what + ": '" + path + "' is not a readable HDF5 file");
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (!file.valid()) throw InputError(what + ": cannot open '" + path + "' as HDF5");
    return file;
}

Handle create_file(const std::string& path) {
    quiet_hdf5_errors();
    Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    if (!file.valid()) throw Error("cannot create HDF5 file '" + path + "'");
    return file;
}

Handle create_file_parallel(const std::string& path, MPI_Comm comm) {
    quiet_hdf5_errors();
    Handle access(checked(H5Pcreate(H5P_FILE_ACCESS), "creating file properties"));
    check(H5Pset_fapl_mpio(access.id(), comm, MPI_INFO_NULL), "selecting MPI-IO");
    Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.id()));
    if (!file.valid()) throw Error("cannot create HDF5 file '" + path + "'");
    return file;
}

Handle open_for_writing(const std::string& path) {
    quiet_hdf5_errors();
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
    if (!file.valid()) throw Error("cannot open HDF5 file '" + path + "' for writing");
    return file;
}

bool has_object(hid_t loc, const std::string& path) {
    // Check each component, since H5Lexists fails on a missing intermediate group.
    std::size_t start = path[0] == '/' ? 1 : 0;
    while (true) {
        auto slash = path.find('/', start);
        std::string prefix = path.substr(0, slash);
        if (prefix.empty() || prefix == "/") return true;
        if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        if (slash == std::string::npos)
            return H5Oexists_by_name(loc, path.c_str(), H5P_DEFAULT) > 0;
        start = slash + 1;
    }
}

Handle create_group(hid_t loc, const std::string& path) {
    create_parents(loc, path + "/");
    return Handle(checked(H5Gopen2(loc, path.c_str(), H5P_DEFAULT), "opening group " + path));
}

Array<double> read_doubles(hid_t loc, const std::string& path, const std::string& what) {
    return read_array<double>(loc, path, what, H5T_NATIVE_DOUBLE);
}

Array<std::int64_t> read_int64s(hid_t loc, const std::string& path, const std::string& what) {
    return read_array<std::int64_t>(loc, path, what, H5T_NATIVE_INT64);
}

void write_doubles(hid_t loc, const std::string& path, const std::vector<double>& data,
                   const std::vector<hsize_t>& dims) {
    write_array(loc, path, data.data(), dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}

void write_int64s(hid_t loc, const std::string& path, const std::vector<std::int64_t>& data,
                  const std::vector<hsize_t>& dims) {
    write_array(loc, path, data.data(), dims, H5T_STD_I64LE, H5T_NATIVE_INT64);
}

void write_attribute(hid_t loc, const std::string& name, double value) {
    write_attribute_raw(loc, name, H5T_NATIVE_DOUBLE, &value, {});
}

void write_attribute(hid_t loc, const std::string& name, std::int64_t value) {
    write_attribute_raw(loc, name, H5T_NATIVE_INT64, &value, {});
}

void write_attribute(hid_t loc, const std::string& name, const std::string& value) {
    Handle type(checked(H5Tcopy(H5T_C_S1), "creating a string type"));
    check(H5Tset_size(type.id(), H5T_VARIABLE), "sizing a string type");
    check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "setting a string's character set");
    const char* text = value.c_str();
    write_attribute_raw(loc, name, type.id(), &text, {});
}

void write_attribute(hid_t loc, const std::string& name, const std::vector<double>& values) {
    write_attribute_raw(loc, name, H5T_NATIVE_DOUBLE, values.data(), {values.size()});
}

void write_attribute(hid_t loc, const std::string& name, const std::vector<std::int64_t>& values) {
    write_attribute_raw(loc, name, H5T_NATIVE_INT64, values.data(), {values.size()});
}

bool has_attribute(hid_t loc, const std::string& name) {
    return H5Aexists(loc, name.c_str()) > 0;
}

double read_double_attribute(hid_t loc, const std::string& name) {
    Handle attr = open_attribute(loc, name);
    double value = 0;
    check(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, &value), "reading attribute " + name);
    return value;
}

std::int64_t read_int64_attribute(hid_t loc, const std::string& name) {
    Handle attr = open_attribute(loc, name);
    std::int64_t value = 0;
    check(H5Aread(attr.id(), H5T_NATIVE_INT64, &value), "reading attribute " + name);
    return value;
}

std::string read_string_attribute(hid_t loc, const std::string& name) {
    Handle attr = open_attribute(loc, name);
    Handle type(checked(H5Aget_type(attr.id()), "reading the type of " + name));
    if (H5Tget_class(type.id()) != H5T_STRING)
        throw InputError("attribute '" + name + "' is not a string");
    if (H5Tis_variable_str(type.id()) > 0) {
        char* text = nullptr;
        Handle memtype(checked(H5Tcopy(H5T_C_S1), "creating a string type"));
        H5Tset_size(memtype.id(), H5T_VARIABLE);
        H5Tset_cset(memtype.id(), H5Tget_cset(type.id()));
        check(H5Aread(attr.id(), memtype.id(), &text), "reading attribute " + name);
        std::string value = text ? text : "";
        H5free_memory(text);
        return value;
    }
    std::size_t size = H5Tget_size(type.id());
    std::string value(size, '\0');
    check(H5Aread(attr.id(), type.id(), value.data()), "reading attribute " + name);
    value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
    return value;
}

namespace {

template <class T>
std::vector<T> read_array_attribute(hid_t loc, const std::string& name, hid_t mem_type) {
    Handle attr = open_attribute(loc, name);
    Handle space(checked(H5Aget_space(attr.id()), "reading the shape of " + name));
    hssize_t count = H5Sget_simple_extent_npoints(space.id());
    std::vector<T> values(static_cast<std::size_t>(count < 0 ? 0 : count));
    if (!values.empty())
        check(H5Aread(attr.id(), mem_type, values.data()), "reading attribute " + name);
    return values;
}

}  // namespace

std::vector<double> read_doubles_attribute(hid_t loc, const std::string& name) {
    return read_array_attribute<double>(loc, name, H5T_NATIVE_DOUBLE);
}

std::vector<std::int64_t> read_int64s_attribute(hid_t loc, const std::string& name) {
    return read_array_attribute<std::int64_t>(loc, name, H5T_NATIVE_INT64);
}

}  // namespace massnet::io
