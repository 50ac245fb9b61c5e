#include <catch2/catch.hpp>

#include <massnet/error.hpp>
#include <massnet/io/npy.hpp>

#include "support.hpp"

using massnet::InputError;
using massnet::io::parse_npy;

namespace {

// A version 1.0 .npy image with the given header dictionary and data bytes.
std::string npy_image(const std::string& dict, const std::string& payload, char version = 1) {
    std::string header = dict;
    std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::string out = "\x93NUMPY";
    out += version;
    out += '\0';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    return out + header + payload;
}

std::string doubles(std::initializer_list<double> values) {
    std::string bytes;
    for (double v : values)
        bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
    return bytes;
}

}  // namespace

TEST_CASE("npy reader reads float64 and float32 grids of shape (N, 3)", "[npy]") {
    std::string f8 = npy_image("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }",
                               doubles({0.5, -1.0, 2.25}));
    float f[3] = {1.5f, 2.0f, -3.0f};
    std::string f4 = npy_image("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }",
                               std::string(reinterpret_cast<const char*>(f), sizeof f));

    auto a = parse_npy(f8, "test");
    auto b = parse_npy(f4, "test");

    CHECK(a.shape == std::vector<std::size_t>{1, 3});
    CHECK(a.data == std::vector<double>{0.5, -1.0, 2.25});
    CHECK(b.data == std::vector<double>{1.5, 2.0, -3.0});
}

TEST_CASE("npy reader refuses each malformed file with a message naming the defect", "[npy]") {
    std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    std::string six = doubles({1, 2, 3, 4, 5, 6});

    CHECK_THROWS_WITH(parse_npy("garbage-garbage", "g"), Catch::Contains("magic"));
    CHECK_THROWS_WITH(parse_npy(npy_image(dict, six, 3), "g"), Catch::Contains("version 3"));
    CHECK_THROWS_WITH(parse_npy(npy_image(dict, six.substr(0, 40)), "g"),
                      Catch::Contains("truncated"));
    CHECK_THROWS_WITH(
        parse_npy(npy_image("{'descr': '>f8', 'fortran_order': False, 'shape': (2, 3), }", six),
                  "g"),
        Catch::Contains("'>f8'"));
    CHECK_THROWS_WITH(
        parse_npy(npy_image("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", six),
                  "g"),
        Catch::Contains("Fortran"));
    CHECK_THROWS_WITH(
        parse_npy(npy_image("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", six),
                  "g"),
        Catch::Contains("'<i8'"));
    std::string long_header = npy_image(dict, six);
    long_header[8] = '\xff';
    long_header[9] = '\x7f';
    CHECK_THROWS_WITH(parse_npy(long_header, "g"), Catch::Contains("longer than the file"));
    CHECK_THROWS_AS(parse_npy(npy_image(dict, six + "xx"), "g"), InputError);
}

TEST_CASE("npy writer output reads back identically", "[npy]") {
    test::ScratchDir dir;
    std::vector<double> values{1, 2, 3, 4, 5, 6};

    massnet::io::write_npy(dir / "a.npy", values, {2, 3});
    auto back = massnet::io::read_npy(dir / "a.npy", "test");

    CHECK(back.shape == std::vector<std::size_t>{2, 3});
    CHECK(back.data == values);
}
