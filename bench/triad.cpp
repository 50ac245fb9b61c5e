// A STREAM-like triad, a[i] = b[i] + s * c[i], to measure the memory bandwidth that a streaming
// kernel can reach on this machine with OpenMP threads (set by OMP_NUM_THREADS).
//
// Build: g++ -O3 -fopenmp -march=native bench/triad.cpp -o triad
// Usage: triad [GB_PER_ARRAY (default 1)] [REPETITIONS (default 8)]
//
// Bytes counted as STREAM counts them: 24 per element (two reads, one write); the write-allocate
// read that the cache does for `a` is not counted. The arrays must be far larger than the last
// level cache, or the figure is the cache's bandwidth, not the memory's.
#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

int main(int argc, char** argv) {
    const double gigabytes = argc > 1 ? std::atof(argv[1]) : 1.0;
    const int repetitions = argc > 2 ? std::atoi(argv[2]) : 8;
    if (gigabytes <= 0 || repetitions < 1) {
        std::fprintf(stderr, "usage: triad [GB_PER_ARRAY > 0] [REPETITIONS >= 1]\n");
        return 2;
    }
    const auto n = static_cast<long>(gigabytes * 1e9 / sizeof(double));
    std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);

    // First touch by the threads that will use the pages.
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; ++i) {
        a[i] = 0.0;
        b[i] = 1.0;
        c[i] = 2.0;
    }

    const double s = 3.0;
    double best = 1e300;
    for (int r = 0; r < repetitions; ++r) {
        const double start = omp_get_wtime();
        double* __restrict pa = a.get();
        const double* __restrict pb = b.get();
        const double* __restrict pc = c.get();
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; ++i)
            pa[i] = pb[i] + s * pc[i];
        best = std::min(best, omp_get_wtime() - start);
    }

    // Use the result, so the loop cannot be dropped: every a[i] must be 1 + 3 * 2 = 7.
    const double expected = 7.0;
    if (a[0] != expected || a[n / 2] != expected || a[n - 1] != expected) {
        std::fprintf(stderr, "triad: wrong result\n");
        return 1;
    }
    const double bytes = 3.0 * sizeof(double) * static_cast<double>(n);
    std::printf("threads %d  array_gb %.2f  repetitions %d  best_s %.4f  triad_gb_s %.2f\n",
                omp_get_max_threads(), gigabytes, repetitions, best, bytes / best / 1e9);
    return 0;
}
