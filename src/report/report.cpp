#include <massnet/config/config.hpp>
#include <massnet/error.hpp>
#include <massnet/network/geometry.hpp>
#include <massnet/report/report.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

namespace massnet {
namespace {

void check(herr_t status, const std::string& doing) {
    if (status < 0) throw Error("HDF5 failed while " + doing);
}

// Creates a dataset of `dims` and writes `data` from rank 0 alone (the others select nothing),
// collectively.
void write_from_root(const Comm& comm, hid_t file, const std::string& path, hid_t type, hid_t mem,
                     const void* data, const std::vector<hsize_t>& dims) {
    io::Handle group_of_path = io::create_group(file, path.substr(0, path.rfind('/')));
    io::Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
    io::Handle set(
        H5Dcreate2(file, path.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    if (!set.valid()) throw Error("cannot create dataset " + path);
    io::Handle select(H5Scopy(space.id()));
    io::Handle memory(H5Scopy(space.id()));
    if (!comm.is_root()) {
        H5Sselect_none(select.id());
        H5Sselect_none(memory.id());
    }
    io::Handle transfer(H5Pcreate(H5P_DATASET_XFER));
    H5Pset_dxpl_mpio(transfer.id(), H5FD_MPIO_COLLECTIVE);
    check(H5Dwrite(set.id(), mem, memory.id(), select.id(), transfer.id(), data),
          "writing " + path);
}

}  // namespace

void write_attributes(hid_t loc, const std::vector<Attribute>& attributes) {
    for (const auto& a : attributes)
        std::visit([&](const auto& value) { io::write_attribute(loc, a.name, value); }, a.value);
}

std::vector<std::int64_t> select_sources(const std::string& spec, const Positions& positions) {
    const std::int64_t n = positions.size();
    std::vector<std::int64_t> selected;
    std::string text = spec;
    text.erase(0, text.find_first_not_of(" \t"));
    if (text.empty()) return selected;
    if (text.rfind("sphere", 0) == 0) {
        auto values = config::parse_number_list("output.sources", text.substr(6));
        if (values.size() != 4 || !(values[3] >= 0))
            throw InputError("output.sources: '" + spec +
                             "' (allowed: 'sphere x y z radius', four numbers, radius >= 0)");
        for (std::int64_t i = 0; i < n; ++i)
            if (distance(positions[i], values.data()) <= values[3]) selected.push_back(i);
    } else {
        for (double v : config::parse_number_list("output.sources", text)) {
            if (v != std::floor(v) || v < 0 || v >= static_cast<double>(n))
                throw InputError("output.sources: " + config::format_value(v) +
                                 " is not a source index (allowed: 0 to " + std::to_string(n - 1) +
                                 ")");
            selected.push_back(static_cast<std::int64_t>(v));
        }
        std::sort(selected.begin(), selected.end());
        selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
    }
    if (selected.empty()) throw InputError("output.sources: '" + spec + "' selects no source");
    return selected;
}

ReportLayout report_layout(const OutputSettings& output, std::int64_t steps, double fs,
                           const std::vector<std::int64_t>& selected, std::int64_t first_row,
                           std::int64_t last_row, bool root) {
    ReportLayout layout;
    layout.steps = steps;
    layout.every = output.every;
    layout.fs = fs;
    if (output.mean) {
        layout.population = "mean";
        layout.sources = 1;
        layout.columns = root ? 1 : 0;
        layout.node_ids = {0};
        return layout;
    }
    if (selected.empty()) {
        layout.sources = -1;  // set by the caller: every source
        layout.first_column = first_row;
        layout.columns = last_row - first_row;
        return layout;
    }
    layout.sources = static_cast<std::int64_t>(selected.size());
    layout.node_ids = selected;
    auto begin = std::lower_bound(selected.begin(), selected.end(), first_row);
    auto end = std::lower_bound(selected.begin(), selected.end(), last_row);
    layout.first_column = begin - selected.begin();
    layout.columns = end - begin;
    for (auto it = begin; it != end; ++it)
        layout.own_rows.push_back(*it - first_row);
    return layout;
}

std::int64_t report_rows_per_flush(std::int64_t sources, std::int64_t recorded,
                                   std::int64_t bytes) {
    return std::clamp<std::int64_t>(bytes / (8 * std::max<std::int64_t>(sources, 1)), 1,
                                    std::max<std::int64_t>(recorded, 1));
}

ActivityReport::ActivityReport(const std::string& path, const Comm& comm,
                               const ReportLayout& layout, std::uint64_t run_id,
                               std::int64_t written_rows, std::int64_t buffer_bytes)
    : comm_(comm), layout_(layout), written_(written_rows) {
    rows_per_flush_ = report_rows_per_flush(layout.sources, layout.recorded(), buffer_bytes);
    rows_.resize(static_cast<std::size_t>(rows_per_flush_ * layout.columns));
    io::quiet_hdf5_errors();
    io::Handle access(H5Pcreate(H5P_FILE_ACCESS));
    H5Pset_fapl_mpio(access.id(), comm.get(), MPI_INFO_NULL);
    const std::string what = "the partial output '" + path + "' of the checkpointed run";
    if (!std::filesystem::exists(path))
        throw InputError(what + " is missing, so the run cannot go on");
    file_ = io::Handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, access.id()));
    if (!file_.valid()) throw InputError(what + " cannot be opened (damaged?)");
    if (!io::has_attribute(file_.id(), "run_id") ||
        static_cast<std::uint64_t>(io::read_int64_attribute(file_.id(), "run_id")) != run_id)
        throw InputError(what + " belongs to another run than the checkpoint");
    data_ = io::Handle(
        H5Dopen2(file_.id(), ("/report/" + layout.population + "/data").c_str(), H5P_DEFAULT));
    io::Handle space(data_.valid() ? H5Dget_space(data_.id()) : H5I_INVALID_HID);
    hsize_t dims[2] = {0, 0};
    if (!space.valid() || H5Sget_simple_extent_dims(space.id(), dims, nullptr) != 2 ||
        dims[0] != static_cast<hsize_t>(layout.recorded()) ||
        dims[1] != static_cast<hsize_t>(layout.sources) || written_rows > layout.recorded())
        throw InputError(what + " does not have the shape of this run's activity");
}

ActivityReport::ActivityReport(const std::string& path, const Comm& comm,
                               const ReportLayout& layout, const Positions& positions,
                               std::uint64_t run_id, std::int64_t buffer_bytes)
    : comm_(comm), layout_(layout) {
    const auto n = static_cast<hsize_t>(layout.sources);
    const auto recorded = static_cast<hsize_t>(layout.recorded());
    rows_per_flush_ = report_rows_per_flush(layout.sources, layout.recorded(), buffer_bytes);
    rows_.resize(static_cast<std::size_t>(rows_per_flush_ * layout.columns));
    file_ = io::create_file_parallel(path, comm.get());

    // The activity: chunks of about 1 MiB, shaped by N alone so every rank count writes the same
    // file.
    hsize_t dims[2] = {recorded, n};
    hsize_t chunk[2] = {0, std::min<hsize_t>(n, 16384)};
    chunk[0] = std::clamp<hsize_t>((1 << 20) / (8 * chunk[1]), 1, recorded);
    const std::string report = "/report/" + layout.population;
    io::Handle group = io::create_group(file_.id(), report + "/mapping");
    io::Handle space(H5Screate_simple(2, dims, nullptr));
    io::Handle create(H5Pcreate(H5P_DATASET_CREATE));
    check(H5Pset_chunk(create.id(), 2, chunk), "chunking the activity");
    // Every chunk allocated now: later writes touch raw data only, so the file's metadata stays
    // as flushed at the last checkpoint even if the process is killed.
    check(H5Pset_alloc_time(create.id(), H5D_ALLOC_TIME_EARLY), "allocating the activity");
    data_ = io::Handle(H5Dcreate2(file_.id(), (report + "/data").c_str(), H5T_IEEE_F64LE,
                                  space.id(), H5P_DEFAULT, create.id(), H5P_DEFAULT));
    if (!data_.valid()) throw Error("cannot create " + report + "/data in '" + path + "'");
    io::write_attribute(data_.id(), "units", std::string("1"));
    io::write_attribute(file_.id(), "run_id", static_cast<std::int64_t>(run_id));

    // The mapping: one element per source, and the times of the recorded steps.
    std::vector<std::int64_t> ids(layout.node_ids), pointers(n + 1), elements(n, 0);
    if (ids.empty()) {
        ids.resize(n);
        std::iota(ids.begin(), ids.end(), 0);
    }
    std::iota(pointers.begin(), pointers.end(), 0);
    const double step_ms = 1000.0 * static_cast<double>(layout.every) / layout.fs;
    std::vector<double> time{0.0, static_cast<double>(layout.recorded()) * step_ms, step_ms};
    auto i64 = [&](const std::string& p, const std::vector<std::int64_t>& v) {
        write_from_root(comm, file_.id(), p, H5T_STD_I64LE, H5T_NATIVE_INT64, v.data(), {v.size()});
    };
    i64(report + "/mapping/node_ids", ids);
    i64(report + "/mapping/index_pointers", pointers);
    i64(report + "/mapping/element_ids", elements);
    write_from_root(comm, file_.id(), report + "/mapping/time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    time.data(), {3});
    io::Handle time_set(H5Dopen2(file_.id(), (report + "/mapping/time").c_str(), H5P_DEFAULT));
    io::write_attribute(time_set.id(), "units", std::string("ms"));
    write_from_root(comm, file_.id(), "/sources/positions", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    positions.xyz.data(), {static_cast<hsize_t>(positions.size()), 3});
}

void ActivityReport::record(std::int64_t step, const double* own, double mean) {
    if (step % layout_.every != 0) return;
    double* row = rows_.data() + held_ * layout_.columns;
    if (layout_.population == "mean") {
        if (layout_.columns == 1) row[0] = mean;
    } else if (layout_.own_rows.empty()) {
        std::copy(own, own + layout_.columns, row);
    } else {
        for (std::int64_t c = 0; c < layout_.columns; ++c)
            row[c] = own[layout_.own_rows[c]];
    }
    if (++held_ == rows_per_flush_) flush();
}

void ActivityReport::flush() {
    // Every rank writes its columns of the held rows as one hyperslab, collectively.
    hsize_t start[2] = {static_cast<hsize_t>(written_), static_cast<hsize_t>(layout_.first_column)};
    hsize_t count[2] = {static_cast<hsize_t>(held_), static_cast<hsize_t>(layout_.columns)};
    io::Handle file_space(H5Dget_space(data_.id()));
    io::Handle memory(H5Screate_simple(2, count, nullptr));
    if (held_ > 0 && layout_.columns > 0) {
        check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
              "selecting this rank's columns");
    } else {
        H5Sselect_none(file_space.id());
        H5Sselect_none(memory.id());
    }
    io::Handle transfer(H5Pcreate(H5P_DATASET_XFER));
    H5Pset_dxpl_mpio(transfer.id(), H5FD_MPIO_COLLECTIVE);
    check(H5Dwrite(data_.id(), H5T_NATIVE_DOUBLE, memory.id(), file_space.id(), transfer.id(),
                   rows_.data()),
          "writing the activity (is the disk full?)");
    written_ += held_;
    held_ = 0;
}

void ActivityReport::checkpoint() {
    flush();
    check(H5Fflush(file_.id(), H5F_SCOPE_GLOBAL), "flushing the output (is the disk full?)");
}

void ActivityReport::finish(const std::vector<Attribute>& attributes) {
    flush();
    write_attributes(file_.id(), attributes);
    data_.close();
    check(H5Fflush(file_.id(), H5F_SCOPE_GLOBAL), "flushing the output (is the disk full?)");
    file_.close();
}

}  // namespace massnet
