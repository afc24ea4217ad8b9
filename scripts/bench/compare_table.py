#!/usr/bin/python3
"""The table of a compare_cpu.sh run: guided-step times of Atelier and the PyTorch peer, per round
and overall, as Markdown. Reads DIR/<case>-<round>-<atelier|pytorch>.json (+ .loadavg).

The ratio is Atelier / PyTorch (below 1.0: Atelier is faster). Each round's two runs are next to
each other in time, so the geometric mean of the per-round ratios is the figure that cancels most
of the machine's noise; the absolute seconds depend on the load at the time.
"""
import glob
import json
import math
import os
import re
import sys

SIDES = ("atelier", "pytorch")


def load(directory):
    runs = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        m = re.fullmatch(r"(\w+)-(\d+)-(atelier|pytorch)\.json", os.path.basename(path))
        if not m:
            continue
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        loadavg_path = path[: -len(".json")] + ".loadavg"
        if os.path.exists(loadavg_path):
            with open(loadavg_path, encoding="utf-8") as f:
                report["_loadavg"] = f.read().strip()
        runs.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = report
    return runs


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
          "| load avg before | ratio Atelier/PyTorch (median) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    summary = []
    for case, rounds in runs.items():
        ratios = []
        for rnd in sorted(rounds):
            sides = rounds[rnd]
            ratio = ""
            if all(s in sides for s in SIDES):
                r = (sides["atelier"]["guided_step_median_seconds"]
                     / sides["pytorch"]["guided_step_median_seconds"])
                ratios.append(r)
                ratio = f"{r:.2f}"
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
            geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            summary.append(f"- {case}, {shape}: Atelier/PyTorch guided step = {geo:.2f} "
                           f"(geometric mean of {len(ratios)} interleaved rounds: "
                           f"{', '.join(f'{r:.2f}' for r in ratios)})")
        else:
            summary.append(f"- {case}, {shape}: only one side measured, no ratio")
    print()
    print("\n".join(summary))
    print("\nload (s): Atelier loads the UNet, VAE and text encoder (and, with --full-size, builds "
          "random weights); the peer only the UNet. Peak RSS likewise: compare the guided step.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
