#!/usr/bin/env python3
# Copyright 2026 The cyclegc Authors.
"""Turns the JSON lines of bench/run_peers.sh into bench/results/.

    python3 bench/report.py RAW_JSONL OUT_DIR

Groups the runs by (workload, n, peer), takes the median of each figure over
the rounds, divides every peer's figure by cyclegc's (ratio > 1: cyclegc is
faster / smaller), checks the project's targets, and writes:

    results.json   machine, date, medians, every raw run, the targets
    results.md     the same as Markdown tables
    plot.dat, plot.gp, plot.svg, plot.png   time and peak RSS per workload
"""

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

PEERS = ["cyclegc", "cyclegc-weak", "cyclegc-acyclic", "shared_ptr-weak",
         "shared_ptr-strong", "boehm", "cppgc", "cpython"]
PEER_TITLES = {
    "cyclegc": "cyclegc",
    "cyclegc-weak": "cyclegc, weak parents",
    "cyclegc-acyclic": "cyclegc, weak parents, acyclic types",
    "shared_ptr-weak": "shared_ptr, weak parents",
    "shared_ptr-strong": "shared_ptr, strong parents",
    "boehm": "Boehm GC",
    "cppgc": "cppgc (Oilpan)",
    "cpython": "CPython gc",
}
PEER_COLORS = {
    "cyclegc": "#7b2cbf",
    "cyclegc-weak": "#c77dff",
    "cyclegc-acyclic": "#e0aaff",
    "shared_ptr-weak": "#2a9d8f",
    "shared_ptr-strong": "#8ecae6",
    "boehm": "#e9c46a",
    "cppgc": "#e76f51",
    "cpython": "#264653",
}
WORKLOAD_TITLES = {
    "tree_churn": "1. Tree churn (1,772,700 nodes)",
    "binary_trees": "2. Binary trees with parents, depth 4..{n}",
    "graph_churn": "3. Random graph churn, {n:,} ops",
    "linked_lists": "4. Doubly linked lists, 30 x 4,096",
    "full_live": "5a. Full collection, live heap of {n:,}",
    "full_live_shuffled":
        "5a'. Full collection, live heap of {n:,} linked in random order",
    "cycles": "5b. Collection of {n:,} objects in garbage 2-cycles",
    "young": "6. Young collection next to {n:,} old objects",
    "acyclic": "7. Acyclic allocate-and-drop, {n:,} times",
}
ORDER = list(WORKLOAD_TITLES)


def command_output(args):
    try:
        return subprocess.run(args, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    versions = {}
    for package in ["g++", "libgc-dev", "libnode108", "python3"]:
        versions[package] = command_output(
            ["dpkg-query", "-W", "-f=${Version}", package])
    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc)
                            .strftime("%Y-%m-%d %H:%M UTC"),
        "host": platform.node(),
        "kernel": platform.release(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "git_commit": command_output(["git", "rev-parse", "--short", "HEAD"]),
        "packages": versions,
        "note": "Shared machine (2 cores, other engineers' jobs running): "
                "ratios taken within one run matter, absolute times less. "
                "One program ran at a time; peers alternated within rounds.",
    }


def key(run):
    return (run["workload"], int(run["n"]), run["peer"])


def aggregate(runs):
    """Medians per (workload, n, peer)."""
    groups = {}
    for run in runs:
        groups.setdefault(key(run), []).append(run)
    medians = {}
    for k, group in groups.items():
        done = [r for r in group if "figure" in r]
        if not done:
            first = group[0]
            medians[k] = {"skipped": first.get("skipped") or first.get("error")}
            continue
        entry = {"rounds": len(done), "unit": done[0]["unit"]}
        for field in ["figure", "time_s", "peak_rss_kb", "max_pause_ms"]:
            values = [r[field] for r in done if r.get(field) is not None]
            entry[field] = statistics.median(values) if values else None
        extras = {}
        for r in done:
            for name, value in r.get("extra", {}).items():
                extras.setdefault(name, []).append(value)
        entry["extra"] = {n: statistics.median(v) for n, v in extras.items()}
        medians[k] = entry
    return medians


def ratio(medians, workload, n, peer, field="figure", base="cyclegc"):
    a = medians.get((workload, n, peer), {}).get(field)
    b = medians.get((workload, n, base), {}).get(field)
    if a is None or b is None or b == 0:
        return None
    return a / b


def micro_times(out_dir):
    """CPU ns per benchmark of micro_bench.json in `out_dir` ({} if none)."""
    try:
        with open(os.path.join(out_dir, "micro_bench.json")) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return {b["name"]: b["cpu_time"] for b in data.get("benchmarks", [])
            if b.get("run_type", "iteration") == "iteration"}


def targets(medians, micro=None):
    """The project's targets: (text, value, met) rows."""
    rows = []

    def add(text, value, test, fmt="{:.2f}"):
        if value is None:
            rows.append({"target": text, "value": None, "met": None})
        else:
            rows.append({"target": text, "value": float(fmt.format(value)),
                         "met": bool(test(value))})

    def faster(workload, n, peer, bound, text):
        """peer/cyclegc time >= bound."""
        add(f"{text}: {peer}/cyclegc >= {bound}",
            ratio(medians, workload, n, peer), lambda v: v >= bound)

    faster("young", 0, "cpython", 6, "1. young collection (workload 6)")
    faster("tree_churn", 0, "cppgc", 1, "2. tree churn")
    value = ratio(medians, "tree_churn", 0, "cyclegc", base="shared_ptr-weak")
    add("2. tree churn: within 2.0x of shared_ptr with weak parents "
        "(cyclegc/shared_ptr-weak <= 2.0)", value, lambda v: v <= 2.0)
    faster("tree_churn", 0, "cpython", 10, "2. tree churn")
    value = ratio(medians, "tree_churn", 0, "boehm")
    rows.append({"target": "tree churn: boehm/cyclegc (reported, no target)",
                 "value": None if value is None else round(value, 2),
                 "met": "reported"})
    faster("binary_trees", 16, "cppgc", 1, "3. binary trees with parents")
    faster("full_live", 1000000, "boehm", 1,
           "4. full collection, live heap of 1,000,000")
    faster("full_live_shuffled", 1000000, "boehm", 1,
           "4. full collection, live heap of 1,000,000 linked in random order")
    value = ratio(medians, "cycles", 1000000, "cyclegc", base="cppgc")
    add("5. 1,000,000 objects in garbage 2-cycles: within 1.2x of cppgc "
        "(cyclegc/cppgc <= 1.2)", value, lambda v: v <= 1.2)
    value = ratio(medians, "tree_churn", 0, "cyclegc", "max_pause_ms",
                  base="cppgc")
    add("6. longest tree-churn pause, defaults: within 2x of cppgc's "
        "(cyclegc/cppgc <= 2)", value, lambda v: v <= 2)
    value = ratio(medians, "acyclic", 10000000, "cyclegc",
                  base="shared_ptr-strong")
    add("7. acyclic allocate-and-drop at most 1.0x std::make_shared "
        "(cyclegc/shared_ptr <= 1.0)", value, lambda v: v <= 1.0)
    # The mean and the longest young collection over the long run (which
    # crosses every compaction threshold): the larger of the two ratios.
    def young(n):
        entry = medians.get(("young", n, "cyclegc"), {})
        return [entry.get("figure"),
                entry.get("extra", {}).get("longest_us")]
    young_ratios = [a / b for a, b in zip(young(10000000), young(0))
                    if a and b]
    add("7. young collection next to 10,000,000 old objects within 1.2x of "
        "next to none, mean and longest (the larger ratio)",
        max(young_ratios) if len(young_ratios) == 2 else None,
        lambda v: v <= 1.2)

    # Weak references (issue 13): micro_bench ratios, then the workloads.
    micro = micro or {}

    def micro_ratio(ours, theirs):
        a, b = micro.get(ours), micro.get(theirs)
        return a / b if a and b else None

    for ours, theirs, what in [
            ("BM_WeakRefMakeDrop", "BM_WeakPtrMakeDrop", "1 referent"),
            ("BM_WeakRefMakeDropMany/1", "BM_WeakPtrMakeDropMany/1",
             "1 referent, held weakly too"),
            ("BM_WeakRefMakeDropMany/1000000",
             "BM_WeakPtrMakeDropMany/1000000", "1,000,000 referents")]:
        add(f"weak 1. make and drop a WeakRef, {what}: at most 2x "
            "std::weak_ptr (cyclegc/weak_ptr <= 2)",
            micro_ratio(ours, theirs), lambda v: v <= 2)
    add("weak 2. Lock no slower than weak_ptr::lock (cyclegc/weak_ptr <= 1)",
        micro_ratio("BM_WeakRefLock", "BM_WeakPtrLock"), lambda v: v <= 1)
    # Weak parents with tracked nodes, then with node types that promise
    # acyclic (kAcyclic: untracked).
    for peer, what in [("cyclegc-weak", "weak parents"),
                       ("cyclegc-acyclic", "weak parents and acyclic types")]:
        add(f"weak 3. binary trees, {what} faster than strong parents "
            f"(cyclegc/{peer} >= 1)",
            ratio(medians, "binary_trees", 16, "cyclegc", base=peer),
            lambda v: v >= 1)
        for workload, n, title in [("binary_trees", 16, "binary trees"),
                                   ("tree_churn", 0, "tree churn")]:
            add(f"weak 3. {title}, {what}: within 1.5x of shared_ptr with "
                f"weak parents ({peer}/shared_ptr-weak <= 1.5)",
                ratio(medians, workload, n, peer, base="shared_ptr-weak"),
                lambda v: v <= 1.5)
    return rows


def fmt(value, digits=3):
    if value is None:
        return "n/a"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def fmt_ratio(value):
    return "" if value is None else f"{value:.2f}x"


def cases(medians):
    found = sorted({(w, n) for (w, n, _) in medians},
                   key=lambda c: (ORDER.index(c[0]), c[1]))
    return found


def markdown(info, medians, target_rows):
    lines = ["# cyclegc against its peers", ""]
    lines.append(f"Run of {info['date_utc']} on {info['cpu']} "
                 f"({info['cores']} cores, {info['memory_gib']} GiB), "
                 f"kernel {info['kernel']}, tree at {info['git_commit']}.")
    packages = ", ".join(f"{p} {v}" for p, v in info["packages"].items() if v)
    lines += ["", f"Packages: {packages}.", "", f"**{info['note']}**", ""]
    lines += ["Figures are medians over the rounds. Ratio = peer / cyclegc "
              "(above 1: cyclegc is faster, or smaller). Longest pause = the "
              "longest collection the peer's own hook reported, the final "
              "clean-up collection excluded (`final gc` in the notes); n/a "
              "where the peer has no collector or no hook.", ""]
    lines += ["## Targets", "", "| target | value | met |", "| --- | --- | --- |"]
    for row in target_rows:
        met = {True: "yes", False: "**no**", None: "not measured",
               "reported": "reported"}[row["met"]]
        lines.append(f"| {row['target']} | {fmt(row['value'])} | {met} |")
    lines += ["", "## Results", ""]
    lines += ["| workload | peer | figure | unit | ratio | peak RSS MiB | "
              "RSS ratio | longest pause ms | notes |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for workload, n in cases(medians):
        title = WORKLOAD_TITLES[workload].format(n=n)
        for peer in PEERS:
            entry = medians.get((workload, n, peer))
            if entry is None:
                continue
            if "figure" not in entry:
                lines.append(f"| {title} | {PEER_TITLES[peer]} | skipped | | "
                             f"| | | | {entry['skipped']} |")
                continue
            rss = entry["peak_rss_kb"] / 1024
            notes = []
            extra = entry["extra"]
            if "leaked_bytes" in extra and extra["leaked_bytes"] > 1 << 20:
                notes.append(f"leaked {extra['leaked_bytes'] / 2**20:,.1f} MiB")
            if "final_gc_ms" in extra and peer not in (
                    "shared_ptr-weak", "shared_ptr-strong"):
                notes.append(f"final gc {extra['final_gc_ms']:.2f} ms")
            if extra.get("examined"):
                notes.append(f"{extra['examined']:,.0f} examined, "
                             f"{extra['ns_per_examined']:.0f} ns each")
            if "longest_us" in extra:
                notes.append(f"longest young {extra['longest_us']:.0f} us")
            if "longest_drop_us" in extra:
                notes.append(
                    f"longest drop {extra['longest_drop_us']:.1f} us")
            if "live_objects_after" in extra and workload not in (
                    "full_live", "full_live_shuffled", "young") and extra["live_objects_after"]:
                notes.append(f"{extra['live_objects_after']:.0f} left alive")
            lines.append(
                f"| {title} | {PEER_TITLES[peer]} | {fmt(entry['figure'])} | "
                f"{entry['unit']} | {fmt_ratio(ratio(medians, workload, n, peer))}"
                f" | {rss:,.1f} | "
                f"{fmt_ratio(ratio(medians, workload, n, peer, 'peak_rss_kb'))}"
                f" | {fmt(entry['max_pause_ms'])} | {'; '.join(notes)} |")
    lines += ["", "![time and peak RSS per workload](plot.svg)", ""]
    return "\n".join(lines)


def short(n):
    for size, suffix in [(1000000, "M"), (1000, "k")]:
        if n >= size and n % size == 0:
            return f"{n // size}{suffix}"
    return str(n)


def plot(out_dir, medians):
    """plot.dat has one row per case; columns: time ratio then RSS per peer."""
    shown = [p for p in PEERS if any(k[2] == p for k in medians)]
    rows = []
    for workload, n in cases(medians):
        label = workload if workload in ("tree_churn", "linked_lists") else (
            f"{workload}/{short(n)}")
        times = [ratio(medians, workload, n, p) for p in shown]
        rss = [medians.get((workload, n, p), {}).get("peak_rss_kb")
               for p in shown]
        cells = [label] + ["NaN" if v is None else f"{v:.6g}" for v in times]
        cells += ["NaN" if v is None else f"{v / 1024:.6g}" for v in rss]
        rows.append(" ".join(cells))
    header = "# case, then time ratio and peak RSS (MiB) of: " + ", ".join(shown)
    with open(os.path.join(out_dir, "plot.dat"), "w") as data:
        data.write(header + "\n" + "\n".join(rows) + "\n")

    def series(first_column):
        parts = []
        for i, peer in enumerate(shown):
            using = f"{first_column + i}:xtic(1)" if i == 0 else f"{first_column + i}"
            source = "'plot.dat'" if i == 0 else "''"
            parts.append(f"{source} using {using} title '{PEER_TITLES[peer]}' "
                         f"lc rgb '{PEER_COLORS[peer]}'")
        return ", \\\n    ".join(parts)

    script = f"""# gnuplot script written by bench/report.py
set termoption noenhanced
set datafile missing "NaN"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set grid ytics
set xtics rotate by -30 font ",9"
set key outside right top font ",9"
set multiplot layout 2,1
set title "Time relative to cyclegc (peer / cyclegc; above 1 = cyclegc faster)"
set ylabel "ratio (log)"
plot {series(2)}
set title "Peak RSS per program (MiB)"
set ylabel "MiB (log)"
plot {series(len(shown) + 2)}
unset multiplot
"""
    with open(os.path.join(out_dir, "plot.gp"), "w") as gp:
        gp.write(script)
    for terminal, name in [("svg size 1200,900 dynamic", "plot.svg"),
                           ("pngcairo size 1200,900", "plot.png")]:
        result = subprocess.run(
            ["gnuplot", "-e", f"set terminal {terminal}; set output '{name}'",
             "plot.gp"], cwd=out_dir, capture_output=True, text=True,
            check=False)
        if result.returncode != 0:
            sys.stderr.write(f"gnuplot ({name}) failed: {result.stderr}\n")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: report.py RAW_JSONL OUT_DIR\n")
        return 2
    with open(argv[1]) as raw:
        runs = [json.loads(line) for line in raw if line.strip()]
    out_dir = argv[2]
    os.makedirs(out_dir, exist_ok=True)
    info = machine()
    medians = aggregate(runs)
    target_rows = targets(medians, micro_times(out_dir))
    results = {
        "machine": info,
        "medians": [dict(workload=w, n=n, peer=p, **e)
                    for (w, n, p), e in sorted(medians.items())],
        "targets": target_rows,
        "runs": runs,
    }
    with open(os.path.join(out_dir, "results.json"), "w") as out:
        json.dump(results, out, indent=1)
    text = markdown(info, medians, target_rows)
    with open(os.path.join(out_dir, "results.md"), "w") as out:
        out.write(text)
    plot(out_dir, medians)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
