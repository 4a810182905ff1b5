"""MACs of TransSeg's Swin encoders counted the way torchprofile's `profile_macs` counts them.

usage: swin_flops_reference.py SRC_DIR JSON_CASES

SRC_DIR holds TransSeg's `swin_transformer.py` and `swin_transformer_3d.py` (run as they are; their
timm / mmcv / mmseg / einops imports are replaced by small stand-ins, which trace to the same
operators in eval mode). Each case is traced with torch.jit (as torchprofile does) and every graph
node is counted by torchprofile's handler rules: convolution = output elements x in x kernel,
linear = output elements x in_features, matmul = batch x n x m x p, mul and layer_norm = output
elements (a 0-dim shape arithmetic `mul` counts 1), everything else 0. torchprofile itself is not
needed. Prints one JSON object per case: {operator: MACs}.
"""
import importlib.util
import json
import math
import sys
import types

import torch
import torch.nn as nn

src, cases = sys.argv[1], json.loads(sys.argv[2])


def stub(name, **attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


class DropPath(nn.Module):  # timm's: the identity in eval mode
    def __init__(self, p=0.0):
        super().__init__()

    def forward(self, x):
        return x


def rearrange(x, pattern):
    return {"b c d h w -> b d h w c": lambda t: t.permute(0, 2, 3, 4, 1), "b d h w c -> b c d h w": lambda t: t.permute(0, 4, 1, 2, 3)}[pattern](x)


tup = lambda n: (lambda v: tuple(v) if isinstance(v, (tuple, list)) else (v,) * n)
stub("timm"); stub("timm.models")
stub("timm.models.layers", DropPath=DropPath, to_2tuple=tup(2), to_3tuple=tup(3), trunc_normal_=lambda t, std=1.0: nn.init.trunc_normal_(t, std=std))
stub("mmseg"); stub("mmseg.utils", get_root_logger=lambda: None)
stub("mmcv"); stub("mmcv.parallel", is_module_wrapper=lambda m: False); stub("mmcv.runner", get_dist_info=lambda: (0, 1), load_state_dict=None)
stub("einops", rearrange=rearrange)


def load(name):
    spec = importlib.util.spec_from_file_location(name, f"{src}/{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def shape(v):
    t = v.type()
    return t.sizes() if "tensor" in t.kind().lower() else None


def macs(node):
    op = node.kind()
    ins = [shape(v) for v in node.inputs()]
    outs = list(node.outputs())
    out = shape(outs[0]) if outs else None
    if op == "aten::_convolution":
        w = ins[1]
        oc, ic, ks = (w[0], w[1], w[2:]) if out[1] == w[0] else (w[1], w[0], w[2:])
        return math.prod(out) * ic * math.prod(ks)
    if op == "aten::linear":
        return math.prod(out) * ins[1][1]
    if op == "aten::matmul":
        a, b = ins[0], ins[1]
        if len(a) >= 2 and len(b) >= 2:
            return math.prod(out[:-2]) * a[-2] * a[-1] * b[-1]
        raise SystemExit(f"unexpected matmul {a} {b}")
    if op in ("aten::addmm", "aten::bmm"):
        raise SystemExit(f"unexpected {op}")
    if op in ("aten::mul", "aten::mul_", "aten::layer_norm", "aten::instance_norm"):
        return math.prod(out)
    return 0


torch.set_grad_enabled(False)
st = load("swin_transformer")
st3 = load("swin_transformer_3d")
for c in cases:
    torch.manual_seed(0)
    if c["kind"] == "swin":
        pd = 1 if c["force_2d"] else c["window"]
        model = st.SwinTransformer(pretrain_img_size=(pd, *c["img"]), patch_size=(pd, 4, 4), in_chans=c["in_channels"], embed_dim=c["embed_dim"], depths=c["depths"], num_heads=c["heads"], window_size=c["window_size"], drop_path_rate=0.3, ape=False, patch_norm=True, out_indices=tuple(range(len(c["depths"]))))
    else:
        pd = c["window"]
        model = st3.SwinTransformer3D(pretrained2d=False, patch_size=tuple(c["patch"]), embed_dim=c["embed_dim"], depths=c["depths"], num_heads=c["heads"], window_size=tuple(c["window_size"]), drop_path_rate=0.2, patch_norm=True, in_chans=c["in_channels"])
    model.eval()
    x = torch.randn(1, c["in_channels"], pd, *c["img"])
    graph, _ = torch.jit._get_trace_graph(model, (x,))
    table = {}
    for node in graph.nodes():
        m = macs(node)
        if m:
            key = node.kind() + ("[scalar]" if node.kind() == "aten::mul" and shape(list(node.outputs())[0]) == [] else "")
            table[key] = table.get(key, 0) + m
    print(json.dumps(table), flush=True)
