#!/bin/bash
# scripts/plot draws every kind of massnet output: small real outputs are made with the massnet
# tool, each is plotted, and each expected picture must be a valid, non-blank PNG of the set size.
# Bad input (an unknown file, a non-HDF5 file, a missing dataset) must fail with a message that
# names the file and must write nothing.
#
# Usage: test_plots.sh MASSNET_EXECUTABLE TEST_DATA_DIR   (ctest passes both)
set -u

massnet=${1:?usage: test_plots.sh MASSNET_EXECUTABLE TEST_DATA_DIR}
data=${2:?usage: test_plots.sh MASSNET_EXECUTABLE TEST_DATA_DIR}
massnet=$(cd "$(dirname "$massnet")" && pwd)/$(basename "$massnet")  # massnet runs in $work
data=$(cd "$data" && pwd)
source_dir=${MASSNET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
plot=$source_dir/scripts/plot
python=/usr/bin/python3
width=640  # [pixels] of every figure: 6.4 x 4.8 inches at 100 dpi
height=480

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

passed=0
failed=0
skipped=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }
skip() { skipped=$((skipped + 1)); echo "skipped: $*"; }

# check_png FILE: a PNG signature, an IHDR of width x height, and more than one colour.
check_png() {
    "$python" - "$1" "$width" "$height" <<'EOF'
import struct, sys, zlib
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "rb") as handle:
    raw = handle.read()
if raw[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"{path}: no PNG signature")
length, kind = struct.unpack(">I4s", raw[8:16])
if kind != b"IHDR" or length != 13:
    sys.exit(f"{path}: the first chunk is {kind!r}, not IHDR")
w, h = struct.unpack(">II", raw[16:24])
if zlib.crc32(raw[12:29]) != struct.unpack(">I", raw[29:33])[0]:
    sys.exit(f"{path}: IHDR checksum does not match")
if (w, h) != (width, height):
    sys.exit(f"{path}: {w} x {h} pixels, expected {width} x {height}")
from PIL import Image
colours = Image.open(path).convert("RGB").getcolors(maxcolors=1 << 24)
if colours is None or len(colours) < 2:
    sys.exit(f"{path}: blank (one colour)")
EOF
}

# plots_ok LABEL FILE NAME...: plot FILE; each NAME.png must be printed, written and valid.
plots_ok() {
    local label=$1 file=$2
    shift 2
    local out=$work/plots-$label
    if ! "$plot" "$file" --out "$out" >"$work/$label.stdout" 2>"$work/$label.stderr"; then
        fail "$label: scripts/plot exited non-zero: $(head -c 400 "$work/$label.stderr")"
        return
    fi
    local name problem
    for name in "$@"; do
        if [[ ! -f $out/$name.png ]]; then
            fail "$label: $name.png was not written"
        elif ! grep -qx "$out/$name.png" "$work/$label.stdout"; then
            fail "$label: $name.png was not printed"
        elif problem=$(check_png "$out/$name.png" 2>&1); then
            pass "$label: $name.png"
        else
            fail "$label: $problem"
        fi
    done
}

# bad_input_fails LABEL FILE WORD: non-zero exit, stderr names FILE and WORD, no PNG written.
bad_input_fails() {
    local label=$1 file=$2 word=$3
    local out=$work/plots-$label
    "$plot" "$file" --out "$out" >"$work/$label.stdout" 2>"$work/$label.stderr"
    local code=$?
    local message
    message=$(cat "$work/$label.stderr")
    if [[ $code -eq 0 ]]; then
        fail "$label: scripts/plot exited 0 on bad input"
    elif [[ $message != *"$(basename "$file")"* || $message != *"$word"* ]]; then
        fail "$label: the message does not name '$(basename "$file")' and '$word': $message"
    elif [[ $(wc -l <"$work/$label.stderr") -ne 1 ]]; then
        fail "$label: the message is not one line: $message"
    elif compgen -G "$out/*.png" >/dev/null; then
        fail "$label: a PNG was written for bad input"
    else
        pass "$label: exit $code, '$message'"
    fi
}

# have COMMAND...: the massnet tool knows the (sub)command.
have() { "$massnet" "$@" --help >/dev/null 2>&1; }

# produce LABEL FILE COMMAND...: run massnet; fail loudly if it does not leave FILE behind.
produce() {
    local label=$1 file=$2
    shift 2
    if (cd "$work" && "$massnet" "$@") >"$work/$label.massnet.log" 2>&1 && [[ -f $file ]]; then
        return 0
    fi
    fail "$label: massnet $* did not write $file: $(tail -n 3 "$work/$label.massnet.log")"
    return 1
}

if [[ ! -x $plot ]]; then
    echo "FAILED: $plot is missing or not executable"
    echo "0 passed, 1 failed"
    exit 1
fi

# A simulation on the 10 mm head grid, and one with a single recorded step.
if have simulate; then
    if produce simulation "$work/sim.h5" simulate "--grid.file=$data/fsaverage-vol-10mm.npy" \
        --simulation.duration=0.2 "--output.file=$work/sim.h5"; then
        plots_ok simulation "$work/sim.h5" activity mean_activity spectrum sources
    fi
    if produce one-step "$work/one.h5" simulate "--grid.file=$data/fsaverage-vol-10mm.npy" \
        --simulation.duration=0.001 "--output.file=$work/one.h5"; then
        plots_ok one-step "$work/one.h5" activity mean_activity sources
        if [[ -e $work/plots-one-step/spectrum.png ]]; then
            fail "one-step: a spectrum was drawn from a single step"
        elif grep -q "spectrum" "$work/one-step.stdout"; then
            pass "one-step: spectrum skipped with a note"
        else
            fail "one-step: no note that the spectrum was skipped"
        fi
    fi
else
    skip "simulation: this massnet has no 'simulate' command"
fi

# A network on a 6 x 6 x 6 cube of sources 1 cm apart.
if have network; then
    "$python" -c 'for i in range(216): print(f"{i // 36 * 0.01:g} {i // 6 % 6 * 0.01:g} {i % 6 * 0.01:g}")' \
        >"$work/cube.txt"
    if produce network "$work/net.h5" network "--grid.file=$work/cube.txt" "--output.file=$work/net.h5"; then
        plots_ok network "$work/net.h5" weights weight_vs_distance delays
    fi
else
    skip "network: this massnet has no 'network' command"
fi

if have neuron; then
    if produce neuron "$work/neuron.h5" neuron --task and --iterations 2000 --seed 1 \
        --out "$work/neuron.h5"; then
        plots_ok neuron "$work/neuron.h5" errors learned_function
    fi
else
    skip "neuron: this massnet has no 'neuron' command"
fi

if have mlp train; then
    if produce mlp "$work/mlp.h5" mlp train --layers 2,3,1 --task xor --iterations 5000 --seed 1 \
        --out "$work/mlp.h5"; then
        plots_ok mlp "$work/mlp.h5" errors learned_function
    fi
else
    skip "mlp: this massnet has no 'mlp train' command"
fi

if have mlp study; then
    if produce study "$work/study.h5" mlp study --layers 2,2,1 --layers 2,3,1 --trials 50 \
        --iterations 2000 --seed 1 --out "$work/study.h5"; then
        plots_ok study "$work/study.h5" converged_fraction final_errors iterations_to_converge
    fi
else
    skip "study: this massnet has no 'mlp study' command"
fi

# The trained network above as one connectivity matrix, and a state propagated through it.
if [[ -f $work/mlp.h5 ]] && have mlp connectivity && have mlp propagate; then
    if produce connectivity "$work/connectivity.h5" mlp connectivity --network "$work/mlp.h5" \
        --out "$work/connectivity.h5"; then
        plots_ok connectivity "$work/connectivity.h5" connectivity
        if produce propagation "$work/states.h5" mlp propagate --connectivity "$work/connectivity.h5" \
            --input 1,0 --steps 4 --out "$work/states.h5"; then
            plots_ok propagation "$work/states.h5" states
        fi
    fi
else
    skip "connectivity, propagation: no trained network or no 'mlp connectivity' and 'mlp propagate'"
fi

# Files of the reference layout, without the massnet_kind attribute.
plots_ok golden-neuron "$data/neuron_and.h5" errors learned_function
plots_ok golden-mlp "$data/mlp_xor_2-3-1.h5" errors learned_function connectivity
plots_ok golden-mass "$data/neural_mass_300_fs250.h5" activity spectrum weights delays

if "$plot" --help 2>&1 | grep -q "massnet_kind"; then
    pass "--help explains how the kind of file is recognised"
else
    fail "--help does not explain the massnet_kind attribute"
fi

# Without --out the pictures go beside the file, into <stem>-plots.
cp "$data/neuron_or.h5" "$work/beside.h5"
if "$plot" "$work/beside.h5" >/dev/null 2>&1 && [[ -f $work/beside-plots/errors.png ]]; then
    pass "default folder: beside-plots/ next to the file"
else
    fail "default folder: $work/beside-plots/errors.png was not written"
fi

# Bad input.
"$python" -c 'import h5py, sys; h5py.File(sys.argv[1], "w")["numbers"] = [1, 2, 3]' "$work/unknown.h5"
bad_input_fails unknown "$work/unknown.h5" "massnet_kind"
echo "not an HDF5 file" >"$work/notes.h5"
bad_input_fails not-hdf5 "$work/notes.h5" "HDF5"
bad_input_fails missing-file "$work/absent.h5" "no such file"
# A real output with one dataset removed (the simulation's activity, else the neuron's errors).
if [[ -f $work/sim.h5 ]]; then
    source_file=$work/sim.h5 removed=report/sources/data
else
    source_file=$data/neuron_and.h5 removed=errors
fi
cp "$source_file" "$work/incomplete.h5"
chmod u+w "$work/incomplete.h5"
"$python" -c 'import h5py, sys; del h5py.File(sys.argv[1], "a")[sys.argv[2]]' "$work/incomplete.h5" "$removed"
bad_input_fails missing-dataset "$work/incomplete.h5" "/$removed"

echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
