"""The PyTorch reference of every decoder (upernet, setr-pup, convtrans, unetr) on any token grid,
for the odd-grid parity test (src/odd-grid.parity.test.ts).

    /usr/bin/python3 seg_torch_reference.py <ref dir> <case.safetensors> ...

<ref dir> holds shared/ref/transseg_ref.py. Each case file is a transseg-seg/1 checkpoint written by
TensorFlow.js (`encoder.*`, `decoder.*`, config in __metadata__.transseg) plus `io.input`
[B, C, window, H, W] and `io.volume` [Z, Y, X] (raw intensities in NIfTI order, x fastest;
X = H, Y = W), and
__metadata__.case = {"clip": [lo, hi]}. The model is built from the config, loaded with
strict=True, and `<case>.out.safetensors` is written with `logits` [B, classes, H, W] and
`volume_logits` [Z, classes, X, Y]: the logits of every slice's edge-clamped window of the clipped,
scaled volume (SPEC §3-4; the volume's slices are the model's size, so nothing is resized).

The models:
- upernet with one depth token: transseg_ref.SegModel itself (its top-down path and output merge
  resize each map to the size of the map it is added to; max_pool2d floors);
- otherwise transseg_ref.Encoder3D (patch depth from the config) with the features averaged over
  depth tokens for the 2D heads, as the TypeScript model does, then transseg_ref.UPerHead or the
  heads below: TransSeg's SetrPupHead and ConvTransHead (src/backbones/decoders/*.py; bilinear x2
  per axis instead of TransSeg's square `size=x.shape[-1] * 2`, and a last resize to img), and
  UNETR with MONAI's block names (UnetrPrUpBlock / UnetrUpBlock / UnetResBlock / UnetOutBlock) at
  depth-token resolution: ConvTranspose3d kernel = stride = (1, 2, 2), centre depth token out.
"""
import json
import math
import sys

sys.path.insert(0, sys.argv[1])
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from transseg_ref import Encoder3D, SegModel, UPerHead, _up, load_safetensors, save_safetensors  # noqa: E402


def instance_norm(x):
    return F.instance_norm(x, eps=1e-5)  # nn.InstanceNorm2d/3d defaults: no affine, no running stats


class SetrPupHead(nn.Module):
    def __init__(self, dim, classes):
        super().__init__()
        for i in range(4):
            setattr(self, f"decoder{i}", nn.Conv2d(dim, dim, 3, padding=1))
        self.decoder4 = nn.Conv2d(dim, classes, 1)

    def forward(self, x, out_size):
        for i in range(4):
            x = F.relu(instance_norm(getattr(self, f"decoder{i}")(x)))
            if i < 3:
                x = _up(x, (x.shape[2] * 2, x.shape[3] * 2))
        return _up(self.decoder4(x), out_size)


class ConvTransHead(nn.Module):
    def __init__(self, dim, classes):
        super().__init__()
        for i in range(1, 4):
            setattr(self, f"decoder{i}", nn.ConvTranspose2d(dim, dim, 2, 2))
        self.decoder4 = nn.ConvTranspose2d(dim, classes, 2, 2)

    def forward(self, x, out_size):
        x = F.relu(instance_norm(x))
        for i in range(1, 4):
            x = F.relu(instance_norm(getattr(self, f"decoder{i}")(x)))
        y = self.decoder4(x)
        return y if tuple(y.shape[2:]) == tuple(out_size) else _up(y, out_size)


class Wrapped(nn.Module):
    """MONAI's `Convolution`: the layer sits in `.conv`."""

    def __init__(self, layer):
        super().__init__()
        self.conv = layer

    def forward(self, x):
        return self.conv(x)


def up3d(cin, cout):
    return Wrapped(nn.ConvTranspose3d(cin, cout, (1, 2, 2), (1, 2, 2), bias=False))


class UnetResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = Wrapped(nn.Conv3d(cin, cout, 3, padding=1, bias=False))
        self.conv2 = Wrapped(nn.Conv3d(cout, cout, 3, padding=1, bias=False))
        self.conv3 = Wrapped(nn.Conv3d(cin, cout, 1, bias=False)) if cin != cout else None

    def forward(self, x):
        y = F.leaky_relu(instance_norm(self.conv1(x)), 0.01)
        y = instance_norm(self.conv2(y))
        r = instance_norm(self.conv3(x)) if self.conv3 is not None else x
        return F.leaky_relu(y + r, 0.01)


class UnetrHead(nn.Module):
    def __init__(self, dim, classes, patch, f):
        super().__init__()
        self.n = n = int(round(math.log2(patch)))
        for k in range(2, n + 1):
            c = f * 2 ** (k - 1)
            blk = nn.Module()
            blk.transp_conv_init = up3d(dim, c)
            blk.blocks = nn.ModuleList([nn.Sequential(up3d(c, c), UnetResBlock(c, c)) for _ in range(n - k)])
            setattr(self, f"encoder{k}", blk)
        for k in range(n + 1, 1, -1):
            cin = dim if k == n + 1 else f * 2 ** (k - 1)
            cout = f * 2 ** (k - 2)
            blk = nn.Module()
            blk.transp_conv = up3d(cin, cout)
            blk.conv_block = UnetResBlock(2 * cout if k > 2 else cout, cout)
            setattr(self, f"decoder{k}", blk)
        self.out = nn.Module()
        self.out.conv = Wrapped(nn.Conv3d(f, classes, 1))

    def forward(self, vols):  # [B, dim, Gd, Gh, Gw] per block, in layer_idxs order
        skips = {}
        for k in range(2, self.n + 1):
            blk = getattr(self, f"encoder{k}")
            x = blk.transp_conv_init(vols[k - 2])
            for b in blk.blocks:
                x = b(x)
            skips[k] = x
        y = vols[self.n - 1]
        for k in range(self.n + 1, 1, -1):
            blk = getattr(self, f"decoder{k}")
            y = blk.transp_conv(y)
            if k > 2:
                y = torch.cat([y, skips[k - 1]], 1)
            y = blk.conv_block(y)
        c = y.shape[2] // 2
        return self.out.conv(y[:, :, c:c + 1])[:, :, 0]


class ComposedSeg(nn.Module):
    """Encoder3D (any patch depth) + a head, fed as the TypeScript model feeds it."""

    def __init__(self, cfg):
        super().__init__()
        e, d = cfg["encoder"], cfg["decoder"]
        self.force_2d = e.get("force_2d", False)
        depth = 1 if self.force_2d else e["window"]
        pd = 1 if self.force_2d else e.get("patch_depth", e["window"])
        self.img = tuple(e["img"])
        self.kind = d["kind"]
        self.encoder = Encoder3D(in_channels=e["in_channels"], img=(depth, *self.img), patch=(pd, e["patch"], e["patch"]),
                                 dim=e["dim"], depth=e["depth"], heads=e["heads"], mlp_ratio=e.get("mlp_ratio", 4.0), kind=e["kind"])
        if self.kind == "upernet":
            self.decoder = UPerHead(e["dim"], d["channels"], cfg["classes"], layer_idxs=d["layer_idxs"], pool_scales=tuple(d["pool_scales"]))
        elif self.kind == "setr-pup":
            self.decoder = SetrPupHead(e["dim"], cfg["classes"])
        elif self.kind == "convtrans":
            self.decoder = ConvTransHead(e["dim"], cfg["classes"])
        elif self.kind == "unetr":
            self.layer_idxs = d["layer_idxs"]
            self.decoder = UnetrHead(e["dim"], cfg["classes"], e["patch"], d["feature_size"])
        else:
            raise ValueError(f"unknown decoder {self.kind}")

    def forward(self, x):
        if self.force_2d:
            c = x.shape[2] // 2
            x = x[:, :, c:c + 1]
        b = x.shape[0]
        gd, gh, gw = self.encoder.grid
        feats = self.encoder(x)
        if self.kind == "unetr":
            return self.decoder([feats[i].reshape(b, gd, gh, gw, -1).permute(0, 4, 1, 2, 3) for i in self.layer_idxs])
        maps = [f.reshape(b, gd, gh, gw, -1).mean(1).permute(0, 3, 1, 2) for f in feats]
        if self.kind == "upernet":
            return self.decoder(maps, out_size=self.img)
        return self.decoder(maps[-1], self.img)


def build(cfg):
    e, d = cfg["encoder"], cfg["decoder"]
    one_depth_token = not e.get("force_2d") and e.get("patch_depth", e["window"]) == e["window"]
    if d["kind"] == "upernet" and one_depth_token and tuple(d["pool_scales"]) == (1, 2, 3, 6):
        flat = {**e, "channels": d["channels"], "layer_idxs": d["layer_idxs"], "classes": cfg["classes"]}
        return SegModel(flat)
    return ComposedSeg(cfg)


def run(path):
    tensors, meta = load_safetensors(path)
    cfg = json.loads(meta["transseg"])
    case = json.loads(meta["case"])
    model = build(cfg)
    model.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("io.")}, strict=True)
    model.eval()
    logits = model(tensors["io.input"])
    vol = tensors["io.volume"].permute(2, 1, 0).double()  # stored [Z, Y, X] (x fastest, as NIfTI) -> [X, Y, Z]
    lo, hi = case["clip"]
    scaled = ((vol.clamp(lo, hi) - lo) / (hi - lo)).float()
    z_count = scaled.shape[2]
    half = cfg["encoder"]["window"] // 2
    windows = []
    for z in range(z_count):
        idx = [min(max(z + o, 0), z_count - 1) for o in range(-half, half + 1)]
        windows.append(scaled[:, :, idx].permute(2, 0, 1).unsqueeze(0))  # [1, D, X, Y]
    volume_logits = torch.cat([model(torch.stack(windows[i:i + 4])) for i in range(0, z_count, 4)])
    save_safetensors(path.replace(".safetensors", ".out.safetensors"), {"logits": logits, "volume_logits": volume_logits})


if __name__ == "__main__":
    with torch.no_grad():
        for p in sys.argv[2:]:
            run(p)
    print("ok")
