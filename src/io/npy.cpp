#include <massnet/error.hpp>
#include <massnet/io/npy.hpp>

#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/files.hpp"

namespace massnet::io {
namespace {

constexpr std::string_view magic = "\x93NUMPY";

// Finds `'key':` in the header dictionary and returns the text after the colon.
std::string_view value_after(std::string_view header, std::string_view key,
                             const std::string& what) {
    std::string quoted = "'" + std::string(key) + "'";
    auto at = header.find(quoted);
    if (at == std::string_view::npos)
        throw InputError(what + ": .npy header has no '" + std::string(key) + "' entry");
    auto colon = header.find(':', at + quoted.size());
    if (colon == std::string_view::npos)
        throw InputError(what + ": malformed .npy header near '" + std::string(key) + "'");
    auto rest = header.substr(colon + 1);
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    return rest;
}

std::vector<std::size_t> parse_shape(std::string_view text, const std::string& what) {
    if (text.empty() || text.front() != '(') throw InputError(what + ": .npy shape is not a tuple");
    auto close = text.find(')');
    if (close == std::string_view::npos) throw InputError(what + ": .npy shape is not closed");
    std::vector<std::size_t> shape;
    std::string_view inside = text.substr(1, close - 1);
    std::size_t pos = 0;
    while (pos < inside.size()) {
        while (pos < inside.size() && (inside[pos] == ' ' || inside[pos] == ','))
            ++pos;
        if (pos >= inside.size()) break;
        std::size_t value = 0;
        std::size_t digits = 0;
        while (pos < inside.size() && inside[pos] >= '0' && inside[pos] <= '9') {
            if (value > (SIZE_MAX - 9) / 10) throw InputError(what + ": .npy shape is too large");
            value = value * 10 + static_cast<std::size_t>(inside[pos] - '0');
            ++pos;
            ++digits;
        }
        if (digits == 0) throw InputError(what + ": .npy shape holds a non-number");
        shape.push_back(value);
    }
    return shape;
}

}  // namespace

NpyArray parse_npy(std::string_view bytes, const std::string& what) {
    if (bytes.size() < 10 || bytes.substr(0, 6) != magic)
        throw InputError(what + ": not a .npy file (wrong magic bytes)");
    auto major = static_cast<unsigned char>(bytes[6]);
    std::size_t header_length = 0;
    std::size_t header_start = 0;
    if (major == 1) {
        header_length = static_cast<unsigned char>(bytes[8]) |
                        (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        header_start = 10;
    } else if (major == 2) {
        if (bytes.size() < 12) throw InputError(what + ": truncated .npy header");
        for (int b = 3; b >= 0; --b)
            header_length = (header_length << 8) | static_cast<unsigned char>(bytes[8 + b]);
        header_start = 12;
    } else {
        throw InputError(what + ": .npy format version " + std::to_string(major) +
                         " is not supported (allowed: 1 or 2)");
    }
    if (header_start + header_length > bytes.size())
        throw InputError(what + ": .npy header is longer than the file (truncated file)");
    std::string_view header = bytes.substr(header_start, header_length);

    std::string_view descr = value_after(header, "descr", what);
    std::size_t item = 0;
    bool is_float32 = false;
    if (descr.starts_with("'<f8'") || descr.starts_with("'f8'")) {
        item = 8;
    } else if (descr.starts_with("'<f4'") || descr.starts_with("'f4'")) {
        item = 4;
        is_float32 = true;
    } else {
        auto end = descr.find_first_of(",}");
        throw InputError(what + ": .npy dtype " + std::string(descr.substr(0, end)) +
                         " is not supported (allowed: little-endian float64 '<f8' or float32 "
                         "'<f4')");
    }
    std::string_view order = value_after(header, "fortran_order", what);
    if (order.starts_with("True"))
        throw InputError(what +
                         ": .npy array is in Fortran order (allowed: C order; save with "
                         "np.ascontiguousarray)");
    if (!order.starts_with("False")) throw InputError(what + ": malformed .npy fortran_order");

    NpyArray out;
    out.shape = parse_shape(value_after(header, "shape", what), what);
    std::size_t count = 1;
    for (std::size_t d : out.shape) {
        if (d != 0 && count > SIZE_MAX / item / d)
            throw InputError(what + ": .npy shape too large");
        count *= d;
    }
    std::size_t data_start = header_start + header_length;
    std::size_t available = bytes.size() - data_start;
    if (available < count * item)
        throw InputError(what + ": truncated .npy file: the header promises " +
                         std::to_string(count * item) + " bytes of data, the file holds " +
                         std::to_string(available));
    if (available > count * item)
        throw InputError(what + ": .npy file has " + std::to_string(available - count * item) +
                         " bytes beyond the data its header describes");
    out.data.resize(count);
    const char* src = bytes.data() + data_start;
    static_assert(std::endian::native == std::endian::little, "massnet assumes little-endian");
    if (is_float32) {
        for (std::size_t i = 0; i < count; ++i) {
            float value;
            std::memcpy(&value, src + 4 * i, 4);
            out.data[i] = value;
        }
    } else if (count > 0) {
        std::memcpy(out.data.data(), src, count * 8);
    }
    return out;
}

NpyArray read_npy(const std::string& path, const std::string& what) {
    return parse_npy(util::read_whole_file(path, what), what);
}

void write_npy(const std::string& path, const std::vector<double>& data,
               const std::vector<std::size_t>& shape) {
    std::ostringstream dict;
    dict << "{'descr': '<f8', 'fortran_order': False, 'shape': (";
    for (std::size_t d : shape)
        dict << d << ", ";
    dict << "), }";
    std::string header = dict.str();
    std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error("cannot create '" + path + "'");
    out.write(magic.data(), 6);
    const char version_and_length[4] = {1, 0, static_cast<char>(header.size() & 0xff),
                                        static_cast<char>(header.size() >> 8)};
    out.write(version_and_length, 4);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size() * sizeof(double)));
    if (!out) throw Error("cannot write '" + path + "'");
}

}  // namespace massnet::io
