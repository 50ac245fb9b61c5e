// Fuzzes the .npy reader with whole files held in memory.
#include <massnet/io/npy.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::expect_clean([&] {
        massnet::io::NpyArray array = massnet::io::parse_npy(fuzz::as_text(data, size), "fuzz");

        // An accepted file holds exactly the values its shape promises.
        std::size_t count = 1;
        for (std::size_t d : array.shape)
            count *= d;
        if (count != array.data.size()) fuzz::finding("npy: data size differs from the shape");
    });
    return 0;
}
