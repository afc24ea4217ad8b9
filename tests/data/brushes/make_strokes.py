#!/usr/bin/env python3
"""Writes the recorded strokes in strokes/ (run once; the JSON files are what the test reads).

There is no tablet on the build machines, so these "recordings" are synthesised the way a tablet
reports a hand: 200 Hz events, a speed profile that starts and ends slowly, pressure that ramps up
and fades, a little positional jitter (seeded), tilt where the preset uses it. Each file:
  {"description", "canvas": {"width", "height", "format": rgba8|rgba16|grey8, "fill": [r,g,b,a]?},
   "strokes": [{"preset": file in resources/brushes, "color": [r,g,b],
                "events": [[x, y, pressure, tiltX, tiltY, timeMs], ...]}]}
"""
import json
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent / "strokes"
RATE_MS = 5.0


def ease(s):  # slow at both ends, like a hand
    return 0.5 - 0.5 * math.cos(math.pi * s)


def stroke(path, duration_ms, pressure, tilt=lambda s: (0.0, 0.0), jitter=0.25, seed=1, t0=0.0):
    rng = random.Random(seed)
    n = int(duration_ms / RATE_MS)
    events = []
    for i in range(n + 1):
        s = ease(i / n)
        x, y = path(s)
        tx, ty = tilt(s)
        events.append([round(x + rng.gauss(0, jitter), 2), round(y + rng.gauss(0, jitter), 2),
                       round(max(0.0, min(1.0, pressure(i / n))), 3), round(tx, 1), round(ty, 1),
                       round(t0 + i * RATE_MS, 1)])
    return events


def swell(peak, attack=0.12, release=0.2):
    def p(s):
        if s < attack:
            return peak * s / attack
        if s > 1 - release:
            return peak * (1 - s) / release
        return peak * (0.9 + 0.1 * math.sin(9 * s))
    return p


def write(name, description, canvas, strokes):
    doc = {"description": description, "canvas": canvas, "strokes": strokes}
    text = json.dumps(doc, separators=(",", ":"))
    # One event per line keeps diffs readable.
    text = text.replace("],[", "],\n[")
    (HERE / f"{name}.json").write_text(text + "\n")


HERE.mkdir(exist_ok=True)

write("ink_signature", "Ink on a transparent layer: a cursive line, pressure swell, speed thinning.",
      {"width": 320, "height": 160, "format": "rgba8"},
      [{"preset": "ink.json", "color": [0.05, 0.05, 0.12],
        "events": stroke(lambda s: (30 + 260 * s, 80 + 45 * math.sin(3 * math.pi * s) * (1 - 0.4 * s)
                                    + 12 * math.sin(14 * s)),
                         1100, swell(0.95), seed=2)}])

write("pencil_hatching", "Pencil on paper: six hatching lines, the pen tilting further on each.",
      {"width": 240, "height": 160, "format": "rgba8", "fill": [0.96, 0.95, 0.91, 1.0]},
      [{"preset": "pencil.json", "color": [0.22, 0.22, 0.25],
        "events": stroke(lambda s, k=k: (30 + 30 * k + 40 * s, 20 + 120 * s), 350,
                         swell(0.5 + 0.08 * k, 0.2, 0.3), tilt=lambda s, k=k: (12.0 * k, 6.0 * k),
                         seed=10 + k, t0=1000.0 * k)} for k in range(6)])

write("airbrush_glow", "Soft airbrush, 16-bit: one and a quarter turns of a loop, pressure rising, "
      "so the overlap builds up.",
      {"width": 320, "height": 260, "format": "rgba16"},
      [{"preset": "soft_airbrush.json", "color": [1.0, 0.55, 0.1],
        "events": stroke(lambda s: (160 + 90 * math.cos(2.5 * s * math.pi),
                                    130 + 70 * math.sin(2.5 * s * math.pi)),
                         2400, lambda s: 0.3 + 0.7 * s, jitter=0.5, seed=3)}])

write("eraser_wave", "Eraser over an opaque blue fill: a wave, light pressure at first, then hard.",
      {"width": 300, "height": 140, "format": "rgba8", "fill": [0.2, 0.4, 0.8, 1.0]},
      [{"preset": "eraser.json", "color": [0, 0, 0],
        "events": stroke(lambda s: (25 + 250 * s, 70 + 35 * math.sin(2 * math.pi * s)), 900,
                         lambda s: 0.1 + 0.9 * s, seed=4)}])

write("mask_pressure", "Mask brushes on a grey mask: soft with a pressure ramp, soft at half "
      "pressure, hard at full pressure.",
      {"width": 300, "height": 220, "format": "grey8"},
      [{"preset": "mask_soft.json", "color": [1, 1, 1],
        "events": stroke(lambda s: (40 + 220 * s, 40), 800, lambda s: s, seed=5)},
       {"preset": "mask_soft.json", "color": [1, 1, 1],
        "events": stroke(lambda s: (40 + 220 * s, 105), 800, lambda s: 0.5, seed=6, t0=2000)},
       {"preset": "mask_hard.json", "color": [1, 1, 1],
        "events": stroke(lambda s: (40 + 220 * s, 190 - 20 * math.sin(math.pi * s)), 800,
                         lambda s: 1.0, seed=7, t0=4000)}])
