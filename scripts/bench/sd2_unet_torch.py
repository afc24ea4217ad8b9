"""The SD2 UNet in plain torch.nn: the peer Atelier's CPU speed is compared against.

It follows the original code (Stability-AI/stablediffusion, ldm.modules.diffusionmodules.
openaimodel.UNetModel with ldm.modules.attention.SpatialTransformer) for the configurations SD2
ships: use_spatial_transformer, use_linear_in_transformer, legacy false, GEGLU feed-forward,
no scale-shift norm, learned-conv up/down sampling. Module names equal the checkpoint's
(`input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight`), so an original-layout file loads with
load_state_dict(strict=True). Attention is the plain softmax(q k^T * scale) v of ldm's
CrossAttention (torch 1.13 has no fused scaled_dot_product_attention), i.e. what "PyTorch from
Python" runs on this machine.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

# The released 512-base / 768-v UNet (v2-inference.yaml, unet_config.params).
FULL_SIZE_CONFIG = {
    "in_channels": 4,
    "out_channels": 4,
    "model_channels": 320,
    "attention_resolutions": [4, 2, 1],
    "num_res_blocks": 2,
    "channel_mult": [1, 2, 4, 4],
    "num_head_channels": 64,
    "num_heads": -1,
    "transformer_depth": 1,
    "context_dim": 1024,
    "use_linear_in_transformer": True,
    "legacy": False,
}


def unet_config_from_yaml(path):
    """unet_config.params of an SD2 inference .yaml, checked against what this model implements."""
    import yaml  # python3-yaml; only needed for checkpoints with a yaml

    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    try:
        params = dict(doc["model"]["params"]["unet_config"]["params"])
    except (KeyError, TypeError):
        raise ValueError(f"{path}: no model.params.unet_config.params") from None
    if not params.get("use_spatial_transformer", False):
        raise ValueError(f"{path}: use_spatial_transformer is false (not an SD2 UNet)")
    # Options no SD2 yaml sets change the graph; refuse them rather than time a different network.
    for key in ("use_scale_shift_norm", "resblock_updown", "num_attention_blocks", "use_new_attention_order"):
        if params.get(key):
            raise ValueError(f"{path}: {key}={params[key]!r} is not implemented by this peer")
    if params.get("conv_resample") is False:
        raise ValueError(f"{path}: conv_resample=false is not implemented by this peer")
    params.setdefault("num_heads", -1)
    params.setdefault("num_head_channels", -1)
    params.setdefault("transformer_depth", 1)
    params.setdefault("use_linear_in_transformer", False)
    return params


def timestep_embedding(timesteps, dim, max_period=10000):
    """cat(cos, sin) of t * exp(-ln(max_period) * i / half); fractional t are legal."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = timesteps[:, None].float() * freqs[None]
    emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    if dim % 2:
        emb = torch.cat([emb, torch.zeros_like(emb[:, :1])], dim=-1)
    return emb


def group_norm(channels, eps=1e-5):
    return nn.GroupNorm(32, channels, eps=eps)


class ResBlock(nn.Module):
    def __init__(self, channels, emb_channels, out_channels):
        super().__init__()
        # Sequential indices match the checkpoint: in_layers.{0,2}, emb_layers.1, out_layers.{0,3}.
        self.in_layers = nn.Sequential(group_norm(channels), nn.SiLU(),
                                       nn.Conv2d(channels, out_channels, 3, padding=1))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb_channels, out_channels))
        self.out_layers = nn.Sequential(group_norm(out_channels), nn.SiLU(), nn.Dropout(0.0),
                                        nn.Conv2d(out_channels, out_channels, 3, padding=1))
        self.skip_connection = (nn.Identity() if out_channels == channels
                                else nn.Conv2d(channels, out_channels, 1))

    def forward(self, x, emb):
        h = self.in_layers(x)
        h = h + self.emb_layers(emb)[:, :, None, None]
        return self.skip_connection(x) + self.out_layers(h)


class Downsample(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.op = nn.Conv2d(channels, channels, 3, stride=2, padding=1)

    def forward(self, x):
        return self.op(x)


class Upsample(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, heads, dim_head):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_q = nn.Linear(query_dim, inner, bias=False)
        self.to_k = nn.Linear(context_dim, inner, bias=False)
        self.to_v = nn.Linear(context_dim, inner, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner, query_dim), nn.Dropout(0.0))

    def _split_heads(self, t):  # [b, n, h*d] -> [b*h, n, d]
        b, n, _ = t.shape
        return t.reshape(b, n, self.heads, -1).permute(0, 2, 1, 3).reshape(b * self.heads, n, -1)

    def forward(self, x, context):
        q = self._split_heads(self.to_q(x))
        k = self._split_heads(self.to_k(context))
        v = self._split_heads(self.to_v(context))
        scores = torch.bmm(q, k.transpose(1, 2)) * self.scale
        out = torch.bmm(scores.softmax(dim=-1), v)
        bh, n, d = out.shape
        out = out.reshape(bh // self.heads, self.heads, n, d).permute(0, 2, 1, 3).reshape(
            bh // self.heads, n, self.heads * d)
        return self.to_out(out)


class GEGLU(nn.Module):
    def __init__(self, dim_in, dim_out):
        super().__init__()
        self.proj = nn.Linear(dim_in, dim_out * 2)

    def forward(self, x):
        x, gate = self.proj(x).chunk(2, dim=-1)
        return x * F.gelu(gate)


class FeedForward(nn.Module):
    def __init__(self, dim, mult=4):
        super().__init__()
        self.net = nn.Sequential(GEGLU(dim, dim * mult), nn.Dropout(0.0), nn.Linear(dim * mult, dim))

    def forward(self, x):
        return self.net(x)


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim, heads, dim_head, context_dim, disable_self_attn):
        super().__init__()
        # With disable_self_attn (the x4 upscaler) attn1 attends to the text as well.
        self.disable_self_attn = disable_self_attn
        self.attn1 = CrossAttention(dim, context_dim if disable_self_attn else dim, heads, dim_head)
        self.ff = FeedForward(dim)
        self.attn2 = CrossAttention(dim, context_dim, heads, dim_head)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.norm3 = nn.LayerNorm(dim)

    def forward(self, x, context):
        h = self.norm1(x)
        x = self.attn1(h, context if self.disable_self_attn else h) + x
        x = self.attn2(self.norm2(x), context) + x
        return self.ff(self.norm3(x)) + x


class SpatialTransformer(nn.Module):
    def __init__(self, channels, heads, dim_head, depth, context_dim, disable_self_attn, use_linear):
        super().__init__()
        inner = heads * dim_head
        self.use_linear = use_linear
        self.norm = group_norm(channels, eps=1e-6)
        self.proj_in = nn.Linear(channels, inner) if use_linear else nn.Conv2d(channels, inner, 1)
        self.transformer_blocks = nn.ModuleList([
            BasicTransformerBlock(inner, heads, dim_head, context_dim, disable_self_attn)
            for _ in range(depth)
        ])
        # ldm builds the linear proj_out as Linear(channels, inner); SD2 has inner == channels.
        self.proj_out = nn.Linear(channels, inner) if use_linear else nn.Conv2d(inner, channels, 1)

    def forward(self, x, context):
        b, c, h, w = x.shape
        x_in = x
        x = self.norm(x)
        if not self.use_linear:
            x = self.proj_in(x)
        x = x.permute(0, 2, 3, 1).reshape(b, h * w, -1).contiguous()
        if self.use_linear:
            x = self.proj_in(x)
        for block in self.transformer_blocks:
            x = block(x, context)
        if self.use_linear:
            x = self.proj_out(x)
        x = x.reshape(b, h, w, -1).permute(0, 3, 1, 2).contiguous()
        if not self.use_linear:
            x = self.proj_out(x)
        return x + x_in


class TimestepEmbedSequential(nn.Sequential):
    def forward(self, x, emb, context):
        for layer in self:
            if isinstance(layer, ResBlock):
                x = layer(x, emb)
            elif isinstance(layer, SpatialTransformer):
                x = layer(x, context)
            else:
                x = layer(x)
        return x


class UNetModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ch0 = cfg["model_channels"]
        mult = list(cfg["channel_mult"])
        res_blocks = cfg["num_res_blocks"]
        res_blocks = [res_blocks] * len(mult) if isinstance(res_blocks, int) else list(res_blocks)
        attn_at = set(cfg["attention_resolutions"])
        disabled_sa = cfg.get("disable_self_attentions") or [False] * len(mult)
        self.model_channels = ch0
        self.num_classes = cfg.get("num_classes")
        emb_dim = ch0 * 4

        def transformer(ch, level_disables_sa):
            if cfg["num_head_channels"] == -1:
                heads, dim_head = cfg["num_heads"], ch // cfg["num_heads"]
            else:
                heads, dim_head = ch // cfg["num_head_channels"], cfg["num_head_channels"]
            return SpatialTransformer(ch, heads, dim_head, cfg["transformer_depth"],
                                      cfg["context_dim"], level_disables_sa,
                                      cfg["use_linear_in_transformer"])

        self.time_embed = nn.Sequential(nn.Linear(ch0, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        if self.num_classes is not None:
            self.label_emb = nn.Embedding(self.num_classes, emb_dim)

        self.input_blocks = nn.ModuleList([
            TimestepEmbedSequential(nn.Conv2d(cfg["in_channels"], ch0, 3, padding=1))])
        skip_channels = [ch0]
        ch, ds = ch0, 1
        for level, m in enumerate(mult):
            for _ in range(res_blocks[level]):
                layers = [ResBlock(ch, emb_dim, m * ch0)]
                ch = m * ch0
                if ds in attn_at:
                    layers.append(transformer(ch, disabled_sa[level]))
                self.input_blocks.append(TimestepEmbedSequential(*layers))
                skip_channels.append(ch)
            if level != len(mult) - 1:
                self.input_blocks.append(TimestepEmbedSequential(Downsample(ch)))
                skip_channels.append(ch)
                ds *= 2

        # The middle block always self-attends (disable_middle_self_attn is false in every SD2 yaml).
        self.middle_block = TimestepEmbedSequential(
            ResBlock(ch, emb_dim, ch), transformer(ch, bool(cfg.get("disable_middle_self_attn"))),
            ResBlock(ch, emb_dim, ch))

        self.output_blocks = nn.ModuleList([])
        for level, m in reversed(list(enumerate(mult))):
            for i in range(res_blocks[level] + 1):
                layers = [ResBlock(ch + skip_channels.pop(), emb_dim, m * ch0)]
                ch = m * ch0
                if ds in attn_at:
                    layers.append(transformer(ch, disabled_sa[level]))
                if level and i == res_blocks[level]:
                    layers.append(Upsample(ch))
                    ds //= 2
                self.output_blocks.append(TimestepEmbedSequential(*layers))

        self.out = nn.Sequential(group_norm(ch), nn.SiLU(),
                                 nn.Conv2d(ch0, cfg["out_channels"], 3, padding=1))

    def forward(self, x, timesteps, context, y=None):
        if (y is None) != (self.num_classes is None):
            raise ValueError("class labels are given if and only if the model is class-conditional")
        emb = self.time_embed(timestep_embedding(timesteps, self.model_channels))
        if y is not None:
            emb = emb + self.label_emb(y)
        skips = []
        h = x
        for block in self.input_blocks:
            h = block(h, emb, context)
            skips.append(h)
        h = self.middle_block(h, emb, context)
        for block in self.output_blocks:
            h = block(torch.cat([h, skips.pop()], dim=1), emb, context)
        return self.out(h)


def randomize(model, seed=0):
    """Random weights that compute like trained ones, as `atelier-cli bench --full-size` makes them:
    normal(0, 0.02) everywhere, norm scales 1 (no denormals, no zeros for BLAS to skip)."""
    gen = torch.Generator().manual_seed(seed)
    norms = {id(m.weight) for m in model.modules() if isinstance(m, (nn.GroupNorm, nn.LayerNorm))}
    with torch.no_grad():
        for p in model.parameters():
            if id(p) in norms:
                p.fill_(1.0)
            else:
                p.normal_(0.0, 0.02, generator=gen)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())
