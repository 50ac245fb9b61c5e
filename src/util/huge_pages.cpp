#include <massnet/huge_pages.hpp>

#include <sys/mman.h>

#include <cstdint>

namespace massnet {

void advise_huge_pages(void* p, std::size_t bytes) noexcept {
#ifdef MADV_HUGEPAGE
    const auto begin = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = (begin + huge_page_bytes - 1) / huge_page_bytes * huge_page_bytes;
    const std::uintptr_t last = (begin + bytes) / huge_page_bytes * huge_page_bytes;
    if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void* allocate_huge_page_memory(std::size_t bytes) {
    if (bytes < huge_page_bytes) return ::operator new(bytes);
    // Whole huge pages, so that the last one is not shared with other allocations.
    const std::size_t rounded = (bytes + huge_page_bytes - 1) / huge_page_bytes * huge_page_bytes;
    void* p = ::operator new (rounded, std::align_val_t{huge_page_bytes});
    advise_huge_pages(p, rounded);
    return p;
}

void release_huge_page_memory(void* p, std::size_t bytes) noexcept {
    if (bytes < huge_page_bytes)
        ::operator delete(p);
    else
        ::operator delete (p, std::align_val_t{huge_page_bytes});
}

}  // namespace massnet
