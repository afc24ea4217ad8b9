#!/usr/bin/python3
"""PyTorch (Python) peer of `atelier-cli bench`: the SD2 UNet's guided step on the CPU.

A guided step is one UNet forward at batch 2 (classifier-free guidance: [uncond, cond]), fp32,
under torch.inference_mode(); its time is the median of --steps forwards after --warmup ones.

  pytorch_sd2_unet.py --model M.ldm.safetensors [--width W --height H] [--steps N] [--json]
  pytorch_sd2_unet.py --full-size [--width 512 --height 512] [--steps N] [--json]
  pytorch_sd2_unet.py --model M.ldm.safetensors --check tests/data/reference/unet/V.safetensors

M is an original-layout single file (`model.diffusion_model.*`) with its .yaml beside it.
--full-size builds the released 512-base UNet (865,910,724 parameters) with random weights.
--check runs the reference cases instead and exits 1 if any output is off by more than --tolerance.
Runs with Debian's python3-torch (/usr/bin/python3), which shares libtorch with Atelier.
"""
import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import safetensors_lite  # noqa: E402
import sd2_unet_torch  # noqa: E402

UNET_PREFIX = "model.diffusion_model."
BENCH_TIMESTEP = 500.0


class BadInput(Exception):
    pass


def yaml_beside(model_path):
    stem = model_path[: -len(".safetensors")] if model_path.endswith(".safetensors") else model_path
    path = stem + ".yaml"
    if not os.path.isfile(path):
        raise BadInput(f"{model_path}: no {os.path.basename(path)} beside it (the UNet's sizes)")
    return path


def latent_factor_from_yaml(path):
    """Pixels per latent cell: 2 ** (VAE levels - 1), 8 for the released VAE."""
    import yaml

    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    try:
        mult = doc["model"]["params"]["first_stage_config"]["params"]["ddconfig"]["ch_mult"]
    except (KeyError, TypeError):
        return 8
    return 2 ** (len(mult) - 1)


def build(args):
    """(model, config, latent factor, description); the weights are loaded when a file is given."""
    if args.full_size:
        cfg = dict(sd2_unet_torch.FULL_SIZE_CONFIG)
        model = sd2_unet_torch.UNetModel(cfg)
        sd2_unet_torch.randomize(model)
        return model.eval(), cfg, 8, "(512-base architecture, random weights)"
    yaml_path = yaml_beside(args.model)
    try:
        cfg = sd2_unet_torch.unet_config_from_yaml(yaml_path)
    except ValueError as e:
        raise BadInput(str(e)) from None
    model = sd2_unet_torch.UNetModel(cfg)
    try:
        state = safetensors_lite.load_prefixed(args.model, UNET_PREFIX)
    except (OSError, safetensors_lite.SafetensorsError) as e:
        raise BadInput(str(e)) from None
    if not state:
        raise BadInput(f"{args.model}: no '{UNET_PREFIX}*' tensors (not an original-layout file)")
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    misshaped = sorted(k for k in set(state) & set(expected) if state[k].shape != expected[k].shape)
    if missing or unexpected or misshaped:
        raise BadInput(f"{args.model}: does not fit {yaml_path}: missing {missing[:5]}, "
                       f"unexpected {unexpected[:5]}, mis-shaped {misshaped[:5]}")
    model.load_state_dict({k: v.to(torch.float32) for k, v in state.items()}, strict=True)
    return model.eval(), cfg, latent_factor_from_yaml(yaml_path), args.model


def check(model, reference, tolerance):
    cases = sorted({k.split(".")[0] for k in reference if k.startswith("case")})
    worst = 0.0
    for case in cases:
        y = reference.get(f"{case}.class_labels")
        with torch.inference_mode():
            out = model(reference[f"{case}.sample"], reference[f"{case}.timestep"],
                        reference[f"{case}.encoder_hidden_states"], y)
        err = (out - reference[f"{case}.out"]).abs().max().item()
        worst = max(worst, err)
        print(f"{case}: sample {list(reference[case + '.sample'].shape)} max abs error {err:.3g}")
    ok = worst <= tolerance
    print(f"{'PASS' if ok else 'FAIL'}: max abs error {worst:.3g} (tolerance {tolerance:g})")
    return ok


def blas_libraries():
    """The BLAS shared objects this process has mapped (after a matmul has run)."""
    found = set()
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in os.path.basename(path).lower():
                found.add(os.path.realpath(path))
    return sorted(found)


def bench(model, cfg, factor, args):
    if args.width % factor or args.height % factor:
        raise BadInput(f"--width/--height must be multiples of {factor} (the VAE's factor)")
    lh, lw = args.height // factor, args.width // factor
    gen = torch.Generator().manual_seed(0)
    sample = torch.randn(2, cfg["in_channels"], lh, lw, generator=gen)
    context = torch.randn(2, 77, cfg["context_dim"], generator=gen)
    timesteps = torch.full((2,), BENCH_TIMESTEP)
    labels = torch.full((2,), 20, dtype=torch.long) if cfg.get("num_classes") else None
    times = []
    with torch.inference_mode():
        for i in range(args.warmup + args.steps):
            start = time.perf_counter()
            out = model(sample, timesteps, context, labels)
            elapsed = time.perf_counter() - start
            if i >= args.warmup:
                times.append(elapsed)
    if not torch.isfinite(out).all():
        raise RuntimeError("the UNet output is not finite")
    return {"latent": [lw, lh], "step_times": times}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="original-layout .safetensors with its .yaml beside it")
    source.add_argument("--full-size", action="store_true", help="512-base UNet, random weights")
    p.add_argument("--check", metavar="REF", help="reference unet/<variant>.safetensors to compare with")
    p.add_argument("--tolerance", type=float, default=1e-4)
    p.add_argument("--width", type=int, default=512, help="image width in pixels (default 512)")
    p.add_argument("--height", type=int, default=512, help="image height in pixels (default 512)")
    p.add_argument("--steps", type=int, default=3, help="timed guided steps (default 3)")
    p.add_argument("--warmup", type=int, default=1, help="untimed steps first (default 1)")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = p.parse_args(argv)
    if args.steps < 1 or args.warmup < 0 or args.threads < 1 or args.width < 1 or args.height < 1:
        raise BadInput("--steps, --threads, --width and --height must be >= 1, --warmup >= 0")

    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    model, cfg, factor, description = build(args)
    load_s = time.perf_counter() - start

    if args.check:
        try:
            reference = safetensors_lite.load_prefixed(args.check, "")
        except (OSError, safetensors_lite.SafetensorsError) as e:
            raise BadInput(str(e)) from None
        return 0 if check(model, reference, args.tolerance) else 1

    result = bench(model, cfg, factor, args)
    times = result["step_times"]
    blas = blas_libraries()
    # The keys `atelier-cli bench --json` prints, so the two reports line up; the median is the
    # middle of the sorted times as Atelier takes it (the upper middle for an even count).
    report = {
        "implementation": f"PyTorch {torch.__version__} from Python {sys.version.split()[0]}",
        "model": description,
        "device": "cpu",
        "dtype": "fp32",
        "threads": torch.get_num_threads(),
        "blas": "OpenBLAS" if any("openblas" in b for b in blas) else ", ".join(blas) or "none mapped",
        "blas_libraries": blas,
        "torch": torch.__version__,
        "width": args.width,
        "height": args.height,
        "latent": result["latent"],
        "unet_parameters": sd2_unet_torch.parameter_count(model),
        # UNet only: building it plus (with --model) reading its weights; Atelier loads all three
        # networks.
        "load_seconds": load_s,
        "guided_step_median_seconds": sorted(times)[len(times) // 2],
        "guided_step_min_seconds": min(times),
        "guided_step_seconds": times,
        # ru_maxrss is in KiB on Linux.
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{report['implementation']}, {report['threads']} threads, BLAS {', '.join(blas)}")
        print(f"model: {description}, {report['unet_parameters']:,} UNet parameters")
        print(f"load: {load_s:.3f} s (UNet)")
        print(f"guided step (batch 2, {args.width}x{args.height} px, latent {result['latent'][0]}x"
              f"{result['latent'][1]}): median {report['guided_step_median_seconds']:.4f} s, "
              f"min {report['guided_step_min_seconds']:.4f} s over {args.steps}")
        print(f"peak RSS: {report['peak_rss_bytes'] / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
