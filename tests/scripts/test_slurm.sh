#!/bin/bash
# The SLURM job scripts in jobs/ on a real one-node SLURM cluster on this machine: a sweep as a job
# array must complete every run, a hybrid job must write what a direct run writes, and, when
# massnet can checkpoint, a job signalled before its time limit must requeue itself and finish
# with the output of an uninterrupted run.
#
# Needs root: it installs Debian's slurmctld, slurmd, munge and slurm-client when missing, starts
# munged (unless one runs already), slurmctld and slurmd with a configuration in a temporary
# folder, and stops what it started at the end. Without root or the packages it is skipped
# (exit 77).
#
# Usage: test_slurm.sh MASSNET_EXECUTABLE TEST_DATA_DIR   (ctest passes both)
# shellcheck disable=SC2015  # pass never fails, so "test && pass || fail" is an if-then-else
set -u

massnet=$(realpath "${1:?usage: test_slurm.sh MASSNET_EXECUTABLE TEST_DATA_DIR}")
source_dir=${MASSNET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
jobs=$source_dir/jobs
job_seconds=180  # the longest any one job may take before the test gives up on it

skip() {
    echo "skipped: $*"
    exit 77
}

[[ $(id -u) -eq 0 ]] || skip "starting SLURM and munge daemons needs root"
command -v h5diff >/dev/null || skip "h5diff (Debian: hdf5-tools) is needed to compare outputs"

# --- The packages ---------------------------------------------------------------------------
packages=(slurmctld slurmd munge slurm-client)
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
    ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
    echo "installing ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y "${packages[@]}" >/dev/null 2>&1; then
        apt-get update >/dev/null 2>&1
        apt-get install -y "${packages[@]}" >/dev/null 2>&1 ||
            skip "cannot install ${packages[*]} with apt-get"
    fi
fi

# One cluster at a time on this machine: the ports and munge are shared.
lock=${TMPDIR:-/tmp}/massnet-test-slurm.lock
exec 9>"$lock"
flock -w 600 9 || skip "another SLURM test held $lock for 10 minutes"

work=$(mktemp -d)
chmod 755 "$work"
started_munged=
cleanup() {
    # Jobs first, so no step outlives its daemons; then the daemons by their pid files.
    if [[ -f $work/slurmctld.pid ]]; then
        scancel --quiet --user=root 2>/dev/null
        for _ in $(seq 20); do
            [[ -z $(squeue -h 2>/dev/null) ]] && break
            sleep 0.5
        done
    fi
    for daemon in slurmd slurmctld; do
        if [[ -f $work/$daemon.pid ]]; then
            pid=$(cat "$work/$daemon.pid")
            kill "$pid" 2>/dev/null
            for _ in $(seq 20); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.25
            done
            kill -9 "$pid" 2>/dev/null
        fi
    done
    if [[ -n $started_munged && -f /run/munge/munged.pid ]]; then
        kill "$(cat /run/munge/munged.pid)" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }

# --- munge ----------------------------------------------------------------------------------
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /etc/munge /var/log/munge /run/munge /var/lib/munge
    if [[ ! -s /etc/munge/munge.key ]]; then
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    chown -R munge:munge /etc/munge /var/log/munge /run/munge /var/lib/munge
    chmod 400 /etc/munge/munge.key
    runuser -u munge -- munged || skip "munged does not start"
    started_munged=yes
    for _ in $(seq 20); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.25
    done
fi
munge -n | unmunge | grep -q Success || skip "munge does not work: munge -n | unmunge fails"

# --- A one-node cluster on localhost --------------------------------------------------------
mkdir -p "$work/spool" "$work/state" "$work/runs"
node_line=$(slurmd -C | head -n 1)
cat >"$work/slurm.conf" <<EOF
ClusterName=massnet-test
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job waits for the credential lifetime before it starts again (default 120 s).
AuthInfo=cred_expire=10
ProctrackType=proctrack/pgid
TaskPlugin=task/none
MpiDefault=pmix
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdSpoolDir=$work/spool
StateSaveLocation=$work/state
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$work/slurm.conf
slurmctld -f "$SLURM_CONF" || skip "slurmctld does not start (see its log)"
slurmd -f "$SLURM_CONF" || skip "slurmd does not start"

idle=
for _ in $(seq 60); do
    if sinfo -h -o %t 2>/dev/null | grep -qx idle; then
        idle=yes
        break
    fi
    sleep 0.5
done
if [[ -z $idle ]]; then
    tail -n 5 "$work/slurmctld.log" "$work/slurmd.log"
    skip "the node did not become idle within 30 s"
fi
echo "SLURM $(sinfo -V | cut -d' ' -f2): node $(sinfo -h -o '%n %c CPUs %t')"

# Every job gets these through sbatch's exported environment.
export MASSNET=$massnet
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# submit_wait NAME SBATCH_ARGS...: sbatch --wait, bounded; the job's exit code.
submit_wait() {
    local name=$1
    shift
    timeout "$job_seconds" sbatch --wait --chdir="$work/runs" "$@" >"$work/$name.submit" 2>&1
}

# same_activity A B: the recorded activity of two outputs is identical, bit for bit.
same_activity() {
    h5diff "$1" "$2" /report/sources/data >/dev/null 2>&1
}

# --- A sweep as a job array -----------------------------------------------------------------
printf '0 0 0\n0.01 0 0\n0 0.01 0\n0 0 0.01\n0.01 0.01 0.01\n' >"$work/runs/grid.txt"
cat >"$work/runs/sweep.ini" <<'EOF'
[grid]
file = grid.txt

[simulation]
duration = 0.02

[sweep]
delays.speed = 0.5, 2
weights.decays = 10 50; 20 80
EOF
(cd "$work/runs" && "$massnet" sweep expand sweep.ini --out sweep >/dev/null) ||
    fail "massnet sweep expand of the test sweep"
runs=$(($(wc -l <"$work/runs/sweep/manifest.csv") - 1))
start=$SECONDS
submit_wait sweep --array=0-$((runs - 1)) --cpus-per-task=1 "$jobs/sweep.sbatch" sweep
code=$?
[[ $code -eq 0 ]] && pass "sweep.sbatch: $runs array tasks ended with code 0 ($((SECONDS - start)) s)" ||
    fail "sweep.sbatch: sbatch --wait ended with code $code: $(cat "$work/sweep.submit")"
outputs=$(find "$work/runs/sweep" -name 'run-*.h5' | wc -l)
[[ $outputs -eq $runs ]] && pass "sweep.sbatch: every run wrote its output" ||
    fail "sweep.sbatch: $outputs of $runs outputs written"
job=$(grep -o '[0-9]\+' "$work/sweep.submit" | head -n 1)
logs=$(find "$work/runs" -name "massnet-sweep-${job}_*.out" | wc -l)
[[ $logs -eq $runs ]] && pass "sweep.sbatch: one log per task, named massnet-sweep-JOB_TASK.out" ||
    fail "sweep.sbatch: $logs task logs named massnet-sweep-${job}_*.out, expected $runs"
status=$("$massnet" sweep status "$work/runs/sweep")
code=$?
[[ $code -eq 0 && $status == *"$runs runs: $runs complete"* ]] &&
    pass "massnet sweep status: all $runs complete, exit code 0" ||
    fail "massnet sweep status exited with $code: $status"

# --- A hybrid MPI + OpenMP job --------------------------------------------------------------
cat >"$work/runs/hybrid.ini" <<'EOF'
[grid]
spacing = 0.02

[simulation]
duration = 0.05

[output]
file = hybrid.h5
EOF
start=$SECONDS
submit_wait hybrid --ntasks=2 --cpus-per-task=1 "$jobs/simulate.sbatch" hybrid.ini --progress=0
code=$?
[[ $code -eq 0 && -f $work/runs/hybrid.h5 ]] &&
    pass "simulate.sbatch: 2 tasks wrote hybrid.h5 ($((SECONDS - start)) s)" ||
    fail "simulate.sbatch: code $code: $(cat "$work"/runs/massnet-[0-9]*.out 2>/dev/null | tail -n 3)"
(cd "$work/runs" && "$massnet" simulate hybrid.ini --output.file=direct.h5 --progress=0 >/dev/null)
same_activity "$work/runs/hybrid.h5" "$work/runs/direct.h5" &&
    pass "simulate.sbatch: the activity equals a direct run's, bit for bit" ||
    fail "simulate.sbatch: the activity differs from a direct run's"

# --- Checkpoint, requeue, restart -----------------------------------------------------------
# job_state ID: the job's state as scontrol reports it.
job_state() {
    scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2
}

# resume_job WHAT CONFIG: submits jobs/resume.sbatch on CONFIG, sends the batch shell SIGUSR1
# once the step loop runs (its first progress line, as the time-limit warning would), and checks
# that the job requeued itself and completed.
resume_job() {
    local what=$1 config=$2 job log state restarts start=$SECONDS
    job=$(CHECKPOINT=$work/runs/${config%.ini}.ckpt.h5 sbatch --parsable --chdir="$work/runs" \
        --ntasks=2 --cpus-per-task=1 --time=5 "$jobs/resume.sbatch" "$config" --progress=0.2)
    log=$work/runs/massnet-resume-$job.out
    for _ in $(seq $((job_seconds * 10))); do
        grep -q '^step ' "$log" 2>/dev/null && break
        sleep 0.1
    done
    scancel --signal=USR1 --batch "$job"
    for _ in $(seq $((job_seconds * 2))); do
        state=$(job_state "$job")
        [[ $state =~ ^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY)$ ]] && break
        sleep 0.5
    done
    restarts=$(scontrol -o show job "$job" | grep -o 'Restarts=[0-9]*' | cut -d= -f2)
    if [[ $state == COMPLETED && ${restarts:-0} -ge 1 ]]; then
        pass "resume.sbatch ($what): checkpointed on SIGUSR1, requeued itself and completed" \
            "($((SECONDS - start)) s)"
    else
        fail "resume.sbatch ($what): ${state:-no state} after ${restarts:-0} restarts: $(tail -n 4 "$log")"
    fi
}

# First the script's own part, with a stand-in for massnet that checkpoints as massnet does:
# it must pass the signal on, requeue on code 3 and continue with --restart.
cat >"$work/fake-massnet" <<'EOF'
#!/bin/bash
restart=
previous=
for arg; do
    [[ $arg == --checkpoint.file=* ]] && checkpoint=${arg#*=}
    [[ $previous == --restart ]] && restart=$arg
    previous=$arg
done
if [[ -n $restart ]]; then
    echo "restarted from $restart" >fake.h5
    exit 0
fi
trap 'echo step 7 >"$checkpoint"; exit 3' USR1
echo "step 1 of 600"
for _ in $(seq 600); do sleep 0.1; done
exit 1
EOF
chmod +x "$work/fake-massnet"
printf '[output]\nfile = fake.h5\n' >"$work/runs/fake.ini"
MASSNET=$work/fake-massnet resume_job "stand-in massnet" fake.ini
[[ $(cat "$work/runs/fake.h5" 2>/dev/null) == "restarted from $work/runs/fake.ckpt.h5" ]] &&
    pass "resume.sbatch (stand-in massnet): the requeued job ran simulate --restart CHECKPOINT" ||
    fail "resume.sbatch (stand-in massnet): the requeued job did not restart from the checkpoint"

if ! "$massnet" simulate --help 2>/dev/null | grep -q -- '--restart' ||
    ! "$massnet" simulate --help 2>/dev/null | grep -q 'checkpoint.file'; then
    echo "skipped: resume.sbatch with massnet: this massnet has no checkpoints yet (no" \
        "simulate --restart and no checkpoint.file key)"
else
    # 2,000 steps of 1,065 sources, exchanging every 10 steps (the shortest delay): a second or
    # more of work, so the signal arrives while it runs, and few exchanges on a busy machine.
    cat >"$work/runs/long.ini" <<'EOF'
[grid]
spacing = 0.012

[delays]
synaptic = 0.01

[simulation]
duration = 2

[output]
file = long.h5
every = 20
EOF
    resume_job massnet long.ini
    # The reference on one rank: the output does not depend on the rank count.
    (cd "$work/runs" && "$massnet" simulate long.ini --output.file=straight.h5 --progress=0 \
        >/dev/null)
    same_activity "$work/runs/long.h5" "$work/runs/straight.h5" &&
        pass "resume.sbatch (massnet): the output equals an uninterrupted run's, bit for bit" ||
        fail "resume.sbatch (massnet): the output differs from an uninterrupted run's"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
