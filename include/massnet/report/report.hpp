#pragma once
// Writing a simulation's activity to HDF5 in the SONATA report layout, by every rank at once
// (parallel HDF5), streamed in chunks so memory stays flat however long the run.
//
//   /report/sources/data                  recorded steps x N, float64
//   /report/sources/mapping/node_ids      0 .. N-1
//   /report/sources/mapping/index_pointers, element_ids   one element per source
//   /report/sources/mapping/time          [start, stop, step] in ms
//   /sources/positions                    N x 3 [m]
#include <massnet/config/settings.hpp>
#include <massnet/grid/grid.hpp>
#include <massnet/io/hdf5.hpp>
#include <massnet/parallel/comm.hpp>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace massnet {

/// Bytes of activity a rank holds before writing them: small, so that memory does not depend on
/// the length of the run beyond this.
inline constexpr std::int64_t report_buffer_bytes = 8 << 20;

/// A root attribute of an output file.
struct Attribute {
    std::string name;
    std::variant<double, std::int64_t, std::string, std::vector<double>> value;
};

void write_attributes(hid_t loc, const std::vector<Attribute>& attributes);

struct ReportLayout {
    std::int64_t sources = 0;       ///< columns of the file: recorded sources (1 for the mean)
    std::int64_t steps = 0;         ///< steps simulated
    std::int64_t every = 1;         ///< record every k-th step
    double fs = 1000.0;             ///< [Hz]
    std::int64_t first_column = 0;  ///< this rank's columns: [first_column, first_column + columns)
    std::int64_t columns = 0;
    /// This rank's local row of each of its columns; empty: rows 0 .. columns - 1.
    std::vector<std::int64_t> own_rows;
    /// The source of each column (node_ids); empty: 0 .. sources - 1.
    std::vector<std::int64_t> node_ids;
    /// "sources", or "mean" for the mean over all sources (one column, written by rank 0).
    std::string population = "sources";

    std::int64_t recorded() const { return (steps + every - 1) / every; }
};

/// The sources `spec` selects (output.sources): empty (all), a list "0, 5, 17", or
/// "sphere x y z radius" [m]; increasing, each once. Bad specs are InputErrors.
std::vector<std::int64_t> select_sources(const std::string& spec, const Positions& positions);

/// The layout of rank rows [first_row, last_row) for the output settings; `selected` from
/// select_sources.
ReportLayout report_layout(const OutputSettings& output, std::int64_t steps, double fs,
                           const std::vector<std::int64_t>& selected, std::int64_t first_row,
                           std::int64_t last_row, bool root);

class ActivityReport {
  public:
    /// Creates `path` (collective) with the datasets and the positions, marked with `run_id`.
    /// `buffer_bytes` bounds the rows held before they are written.
    ActivityReport(const std::string& path, const Comm& comm, const ReportLayout& layout,
                   const Positions& positions, std::uint64_t run_id,
                   std::int64_t buffer_bytes = report_buffer_bytes);
    /// Reopens the partial output of run `run_id` (collective) to go on after `written_rows`
    /// rows; a file of another run or shape is an InputError.
    ActivityReport(const std::string& path, const Comm& comm, const ReportLayout& layout,
                   std::uint64_t run_id, std::int64_t written_rows,
                   std::int64_t buffer_bytes = report_buffer_bytes);

    /// This rank's activity at `step` (its rows) and the mean over all sources; kept when the
    /// step is recorded.
    void record(std::int64_t step, const double* own, double mean);
    /// Writes the rows held (collective).
    void flush();
    /// Writes the rows held and flushes the file, so it holds every recorded step so far.
    void checkpoint();
    /// Writes what is left and the root attributes, and closes the file (collective).
    void finish(const std::vector<Attribute>& attributes);
    std::int64_t buffer_bytes() const { return rows_per_flush_ * layout_.columns * 8; }
    /// Rows written so far.
    std::int64_t written() const { return written_; }

  private:
    const Comm& comm_;
    ReportLayout layout_;
    io::Handle file_;
    io::Handle data_;
    std::int64_t rows_per_flush_;
    std::int64_t written_ = 0;  // rows already in the file
    std::vector<double> rows_;  // held rows: held x columns
    std::int64_t held_ = 0;
};

/// Rows per flush for N sources within `bytes`: the same on every rank (it depends on N only).
std::int64_t report_rows_per_flush(std::int64_t sources, std::int64_t recorded, std::int64_t bytes);

}  // namespace massnet
