#include <massnet/error.hpp>
#include <massnet/network/partition.hpp>

namespace massnet {

std::vector<std::int64_t> equal_rows(std::int64_t rows, int parts) {
    std::vector<std::int64_t> offsets(static_cast<std::size_t>(parts) + 1);
    for (int p = 0; p <= parts; ++p)
        offsets[p] = rows * p / parts;
    return offsets;
}

std::vector<std::int64_t> partition_rows(const std::vector<std::int64_t>& row_connections,
                                         int parts) {
    if (parts < 1) throw Error("partition_rows: needs at least one part");
    const auto rows = static_cast<std::int64_t>(row_connections.size());
    std::vector<std::int64_t> prefix(row_connections.size() + 1, 0);
    for (std::int64_t i = 0; i < rows; ++i)
        prefix[i + 1] = prefix[i] + row_connections[i];
    const std::int64_t total = prefix.back();
    if (total == 0) return equal_rows(rows, parts);

    // Block p ends at the row boundary nearest to its share p * total / parts.
    std::vector<std::int64_t> offsets(static_cast<std::size_t>(parts) + 1, 0);
    offsets[parts] = rows;
    std::int64_t row = 0;
    for (int p = 1; p < parts; ++p) {
        const long double target = static_cast<long double>(total) * p / parts;
        while (row < rows && prefix[row + 1] <= target)
            ++row;
        // prefix[row] <= target < prefix[row + 1]: take the nearer boundary.
        std::int64_t cut = row;
        if (row < rows && prefix[row + 1] - target < target - prefix[row]) cut = row + 1;
        offsets[p] = std::max(cut, offsets[p - 1]);
    }
    return offsets;
}

}  // namespace massnet
