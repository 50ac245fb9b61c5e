// Catch2 main for the single-process tests; MPI is initialised once for the library's collectives.
#define CATCH_CONFIG_RUNNER
#include <mpi.h>
#include <catch2/catch.hpp>

int main(int argc, char** argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int result = Catch::Session().run(argc, argv);
    MPI_Finalize();
    return result;
}
