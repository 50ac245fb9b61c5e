#include <massnet/error.hpp>
#include <massnet/simulation/ring_buffer.hpp>

namespace massnet {

RingBuffer::RingBuffer(std::int64_t sources, std::int64_t length)
    : sources_(sources), length_(length) {
    if (sources < 0 || length < 1) throw Error("ring buffer needs sources >= 0 and length >= 1");
    values_.assign(static_cast<std::size_t>(sources * 2 * length), 0.0);
}

void RingBuffer::assign_history(const std::vector<double>& history, std::int64_t now) {
    if (static_cast<std::int64_t>(history.size()) != sources_ * length_)
        throw Error("history holds " + std::to_string(history.size()) + " values, expected " +
                    std::to_string(sources_ * length_));
    for (std::int64_t j = 0; j < sources_; ++j)
        for (std::int64_t k = 0; k < length_; ++k)
            set(j, now - 1 - k, history[j * length_ + k]);
}

std::vector<double> RingBuffer::history(std::int64_t now) const {
    std::vector<double> out(static_cast<std::size_t>(sources_ * length_));
    for (std::int64_t j = 0; j < sources_; ++j)
        for (std::int64_t k = 0; k < length_; ++k)
            out[j * length_ + k] = at(j, now - 1 - k);
    return out;
}

}  // namespace massnet
