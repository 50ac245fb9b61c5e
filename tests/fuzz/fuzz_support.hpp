#pragma once
// What every fuzz target shares: bad input must end in a massnet::Error (usually an InputError);
// any other exception, a failed invariant, a crash or a sanitizer report is a finding.
#include <massnet/error.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

namespace fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Stops the run with a message; libFuzzer then keeps the input that led here.
[[noreturn]] inline void finding(const char* what) {
    std::fprintf(stderr, "fuzz finding: %s\n", what);
    std::abort();
}

/// Calls `read`; a massnet::Error is the expected refusal of bad input, anything else a finding.
template <class Read>
void expect_clean(Read&& read) {
    try {
        read();
    } catch (const massnet::Error&) {
        // The reader refused the input with a message: the outcome bad input should have.
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz finding: exception other than massnet::Error: %s\n", e.what());
        std::abort();
    } catch (...) {
        finding("exception of a type other than std::exception");
    }
}

}  // namespace fuzz
