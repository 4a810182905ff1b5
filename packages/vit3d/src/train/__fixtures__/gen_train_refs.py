"""Reference values for packages/vit3d/src/train tests, computed with PyTorch (Debian python3-torch).

Run from the repository root:
    /usr/bin/python3 packages/vit3d/src/train/__fixtures__/gen_train_refs.py [fixtures dir]

Writes beside this script:
  * train_refs.json: MONAI-semantics losses (Dice, softmax Focal, DiceFocal, DiceCE, CE) on a
    small logits/target pair, torch.optim.AdamW + clip_grad_norm_ + linear warm-up/decay steps;
  * grads_seg_beit.safetensors: gradients of DiceFocal(seg_beit(input), target) for a few
    tensors of the shared fixture model, in eval mode (running BatchNorm statistics) and in
    training mode (batch statistics), plus the BatchNorm running statistics after the training
    forward (momentum 0.1, unbiased variance), as PyTorch updates them.

The losses are written out here by hand following MONAI's definitions (MONAI is not installed):
  DiceLoss(softmax=True, to_onehot_y=True, include_background=True, smooth_nr=smooth_dr=1e-5,
  batch=False, reduction="mean"): 1 - (2 sum(p g) + 1e-5) / (sum(p) + sum(g) + 1e-5) per
  (sample, class) over the spatial dims, mean over samples and classes;
  FocalLoss(gamma=2, use_softmax=True, reduction="mean"): -(1 - p)^2 log(p) g, mean over every
  element [B, C, H, W];
  DiceFocalLoss = Dice + Focal (lambda_dice = lambda_focal = 1);
  DiceCELoss = Dice + CrossEntropyLoss (mean over pixels).
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, "/work/shared/ref")
FIXTURES = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(HERE, "../../../../../../shared/fixtures"))
sys.path.insert(0, os.path.normpath(os.path.join(FIXTURES, "../ref")))
from transseg_ref import SegModel, load_safetensors, save_safetensors  # noqa: E402

torch.set_grad_enabled(True)


def dice_loss(logits, target, smooth=1e-5):
    k = logits.shape[1]
    p = logits.softmax(1)
    g = F.one_hot(target.long(), k).permute(0, 3, 1, 2).float()
    dims = (2, 3)
    inter = (p * g).sum(dims)
    den = p.sum(dims) + g.sum(dims)
    return (1 - (2 * inter + smooth) / (den + smooth)).mean()


def focal_loss(logits, target, gamma=2.0):
    k = logits.shape[1]
    ls = logits.log_softmax(1)
    g = F.one_hot(target.long(), k).permute(0, 3, 1, 2).float()
    return (-(1 - ls.exp()).pow(gamma) * ls * g).mean()


def ce_loss(logits, target):
    return F.cross_entropy(logits, target.long())


LOSSES = {
    "dice": dice_loss,
    "focal": focal_loss,
    "crossEntropy": ce_loss,
    "diceFocal": lambda x, t: dice_loss(x, t) + focal_loss(x, t),
    "diceCE": lambda x, t: dice_loss(x, t) + ce_loss(x, t),
}


def loss_refs():
    b, k, h, w = 2, 3, 2, 3
    logits = torch.tensor([[math.sin(1.7 * i + 0.3) * 2.0 for i in range(b * k * h * w)]]).reshape(b, k, h, w).float()
    # sample 1 has no pixel of class 2 (Dice's smoothing term matters there)
    target = torch.tensor([[[0, 1, 2], [2, 1, 0]], [[1, 1, 0], [0, 0, 1]]])
    out = {"logits_nchw": logits.flatten().tolist(), "shape_nchw": [b, k, h, w], "target": target.flatten().tolist(), "values": {}, "grads_nchw": {}}
    for name, f in LOSSES.items():
        x = logits.clone().requires_grad_(True)
        v = f(x, target)
        v.backward()
        out["values"][name] = v.item()
        out["grads_nchw"][name] = x.grad.flatten().tolist()
    return out


def adamw_refs():
    # two parameters: "w" (decayed) and "b" (bias: no decay), 5 steps, linear warm-up 2 then
    # linear decay to 0 at step 5 (HF get_linear_schedule_with_warmup), clipping at norm 1.0
    w = torch.nn.Parameter(torch.tensor([[0.5, -1.0, 2.0], [0.25, 0.0, -0.75]]))
    b = torch.nn.Parameter(torch.tensor([0.1, -0.2]))
    lr, wd, warmup, total = 0.1, 0.05, 2, 5
    opt = torch.optim.AdamW([{"params": [w], "weight_decay": wd}, {"params": [b], "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.999), eps=1e-8)
    lam = lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
    steps = []
    for s in range(total):
        gw = torch.tensor([[math.cos(s + i + 3 * j) * (1.5 if s % 2 else 0.2) for i in range(3)] for j in range(2)])
        gb = torch.tensor([0.3 * (s + 1), -0.7])
        w.grad, b.grad = gw.clone(), gb.clone()
        norm = torch.nn.utils.clip_grad_norm_([w, b], 1.0).item()
        used_lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        steps.append({"grad_w": gw.flatten().tolist(), "grad_b": gb.tolist(), "norm": norm, "lr": used_lr,
                      "w": w.detach().flatten().tolist(), "b": b.detach().tolist(),
                      "exp_avg_w": opt.state[w]["exp_avg"].flatten().tolist(), "exp_avg_sq_w": opt.state[w]["exp_avg_sq"].flatten().tolist()})
    return {"lr": lr, "weight_decay": wd, "warmup": warmup, "total": total, "w0": [[0.5, -1.0, 2.0], [0.25, 0.0, -0.75]], "b0": [0.1, -0.2], "steps": steps}


GRAD_NAMES = [
    "encoder.cls_token",
    "encoder.patch_embed.proj.bias",
    "encoder.blocks.0.attn.qkv.weight",
    "encoder.blocks.0.attn.relative_position_bias_table",
    "encoder.blocks.1.gamma_2",
    "encoder.blocks.2.mlp.fc1.bias",
    "encoder.blocks.3.norm2.weight",
    "decoder.fpn1.0.weight",
    "decoder.fpn1.1.weight",
    "decoder.psp_modules.1.1.conv.weight",
    "decoder.fpn_bottleneck.bn.bias",
    "decoder.conv_seg.weight",
    "decoder.conv_seg.bias",
]


def seg_grads():
    sd, meta = load_safetensors(os.path.join(FIXTURES, "seg_beit.safetensors"))
    io, _ = load_safetensors(os.path.join(FIXTURES, "seg_beit_io.safetensors"))
    cfg = json.loads(meta["transseg"])
    flat = {**cfg["encoder"], "channels": cfg["decoder"]["channels"], "layer_idxs": cfg["decoder"]["layer_idxs"], "classes": cfg["classes"]}
    x = io["input"]
    b, _, _, h, w = x.shape
    # a fixed target with every class: bands along H shifted per sample
    hh = torch.arange(h).reshape(1, h, 1).expand(b, h, w)
    ww = torch.arange(w).reshape(1, 1, w).expand(b, h, w)
    target = ((hh // 8 + ww // 16 + torch.arange(b).reshape(b, 1, 1)) % cfg["classes"]).int()
    out = {"target": target}
    for mode in ("eval", "train"):
        model = SegModel(flat)
        model.load_state_dict(sd, strict=True)
        model.train(mode == "train")
        logits = model(x)
        loss = dice_loss(logits, target) + focal_loss(logits, target)
        loss.backward()
        params = dict(model.named_parameters())
        out[f"{mode}.loss"] = loss.detach().reshape(1)
        for n in GRAD_NAMES:
            out[f"{mode}.grad.{n}"] = params[n].grad
        if mode == "train":
            bufs = dict(model.named_buffers())
            for n in ("decoder.fpn1.1", "decoder.lateral_convs.0.bn", "decoder.psp_modules.3.1.bn", "decoder.fpn_bottleneck.bn"):
                out[f"train.{n}.running_mean"] = bufs[f"{n}.running_mean"]
                out[f"train.{n}.running_var"] = bufs[f"{n}.running_var"]
    save_safetensors(os.path.join(HERE, "grads_seg_beit.safetensors"), {k: v.contiguous() for k, v in out.items()})


if __name__ == "__main__":
    refs = {"generator": "gen_train_refs.py", "torch": torch.__version__, "losses": loss_refs(), "adamw": adamw_refs()}
    with open(os.path.join(HERE, "train_refs.json"), "w") as f:
        json.dump(refs, f, indent=1)
    seg_grads()
    print("wrote train_refs.json and grads_seg_beit.safetensors")
