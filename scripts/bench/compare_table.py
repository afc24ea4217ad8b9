#!/usr/bin/python3
"""The table of a compare_cpu.sh run: guided-step times of Atelier and the PyTorch peer, per round
and overall, as Markdown. Reads DIR/<case>-<round>-<atelier|pytorch>.json (+ .loadavg).

The ratio is Atelier / PyTorch (below 1.0: Atelier is faster). Each round's two runs are next to
each other in time, so the geometric mean of the per-round ratios is the figure that cancels most
of the machine's noise; the absolute seconds depend on the load at the time. Other processes only
ever add time, so the ratio of the minima (each side's least disturbed step) is given as well.
"""
import glob
import json
import math
import os
import re
import statistics
import sys

SIDES = ("atelier", "pytorch")


def load(directory):
    runs = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        m = re.fullmatch(r"(\w+)-(\d+)-(atelier|pytorch)\.json", os.path.basename(path))
        if not m:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                report = json.load(f)
        except ValueError as e:
            print(f"skipping {path}: not a bench report ({e})", file=sys.stderr)
            continue
        loadavg_path = path[: -len(".json")] + ".loadavg"
        if os.path.exists(loadavg_path):
            with open(loadavg_path, encoding="utf-8") as f:
                report["_loadavg"] = f.read().strip()
        runs.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = report
    return runs


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def seconds(x):
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def mib(report):
    return f"{report['peak_rss_bytes'] / 2**20:,.0f}"


def main(directory):
    runs = load(directory)
    if not runs:
        print(f"no results in {directory}")
        return 1
    print("| case | round | side | guided step median (s) | min (s) | load (s) | peak RSS (MiB) "
          "| load avg before | ratio Atelier/PyTorch, median / min |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    summary = []
    for case, rounds in runs.items():
        ratios, min_ratios = [], []
        for rnd in sorted(rounds):
            sides = rounds[rnd]
            ratio = ""
            if all(s in sides for s in SIDES):
                a, p = sides["atelier"], sides["pytorch"]
                ratios.append(a["guided_step_median_seconds"] / p["guided_step_median_seconds"])
                min_ratios.append(a["guided_step_min_seconds"] / p["guided_step_min_seconds"])
                ratio = f"{ratios[-1]:.2f} / {min_ratios[-1]:.2f}"
            for side in SIDES:
                if side not in sides:
                    print(f"| {case} | {rnd} | {side} | not measured | | | | | |")
                    continue
                rep = sides[side]
                print(f"| {case} | {rnd} | {side} | {seconds(rep['guided_step_median_seconds'])} "
                      f"| {seconds(rep['guided_step_min_seconds'])} | {seconds(rep['load_seconds'])} "
                      f"| {mib(rep)} | {rep.get('_loadavg', '')} | {ratio if side == 'pytorch' else ''} |")
        any_side = next(iter(rounds[min(rounds)].values()))
        latent = "x".join(str(v) for v in any_side["latent"])
        shape = f"{any_side['width']}x{any_side['height']} px (latent {latent})"
        if ratios:
            summary.append(f"- {case}, {shape}, {len(ratios)} interleaved rounds: Atelier/PyTorch "
                           f"guided step = {geomean(ratios):.2f} geometric mean, "
                           f"{statistics.median(ratios):.2f} median round (of medians; rounds "
                           f"{', '.join(f'{r:.2f}' for r in ratios)}), {geomean(min_ratios):.2f} "
                           f"(minima; rounds {', '.join(f'{r:.2f}' for r in min_ratios)})")
        else:
            summary.append(f"- {case}, {shape}: only one side measured, no ratio")
    print()
    print("\n".join(summary))
    print("\nload (s): Atelier loads the UNet, VAE and text encoder (and, with --full-size, builds "
          "random weights); the peer only the UNet. Peak RSS likewise: compare the guided step.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
