# Sourced by scripts/run, scripts/test and scripts/bench: installs what is missing (as root,
# from Debian's packages) and builds massnet in Release in build/.
#
# Variables: BUILD_DIR (default build), JOBS (default: the number of cores),
#            CMAKE_ARGS (extra arguments to cmake, e.g. -DMASSNET_NATIVE=OFF).
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$source_dir/build}
jobs=${JOBS:-$(nproc)}

massnet_packages=(cmake make g++ libopenmpi-dev openmpi-bin libeigen3-dev libhdf5-openmpi-dev
                  hdf5-tools libboost-program-options-dev catch2 python3-numpy python3-h5py
                  python3-matplotlib python3-scipy)

install_missing() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $(id -u) -ne 0 ]]; then
        echo "massnet needs these Debian packages, missing here:" >&2
        echo "  sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
}

build_massnet() {
    cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release ${CMAKE_ARGS:-} >/dev/null
    cmake --build "$build_dir" -j"$jobs" 2>&1 | grep -E "warning|error|Error" || true
    [[ -x $build_dir/massnet ]] || { echo "build failed" >&2; exit 1; }
}

# Open MPI refuses to run as root unless told.
if [[ $(id -u) -eq 0 ]]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

install_missing "${massnet_packages[@]}"
build_massnet
