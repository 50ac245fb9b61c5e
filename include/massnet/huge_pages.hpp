#pragma once
// Memory backed by 2 MiB pages where the kernel allows it.
//
// The step loop reads B history values of a source per connection, from sources spread over the
// whole ring buffer (N x 2T doubles: 63 MB at 10,242 sources and 1 kHz). With 4 KiB pages nearly
// every such read needs its own address translation, more than the TLB holds; with 2 MiB pages
// the whole buffer needs a few dozen. Linux backs memory with such pages only where asked
// (transparent huge pages in "madvise" mode, Debian's default), so large arrays ask.
#include <cstddef>
#include <new>

namespace massnet {

/// The size of a huge page on x86-64 and arm64 Linux.
inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;

/// Asks for huge pages on the whole 2 MiB pages inside [p, p + bytes). Only a hint: it changes
/// where memory comes from, never its contents, and does nothing where unsupported.
void advise_huge_pages(void* p, std::size_t bytes) noexcept;

/// `bytes` of memory, aligned to a huge page and advised as above when at least one huge page
/// long, plain `operator new` otherwise. Release with release_huge_page_memory(p, bytes).
void* allocate_huge_page_memory(std::size_t bytes);
void release_huge_page_memory(void* p, std::size_t bytes) noexcept;

/// A std::allocator that places large arrays on huge pages.
template <class T>
struct HugePageAllocator {
    using value_type = T;
    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        return static_cast<T*>(allocate_huge_page_memory(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept { release_huge_page_memory(p, n * sizeof(T)); }
    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept {
        return true;
    }
};

}  // namespace massnet
