"""Prints the state-dict names and shapes of TransSeg's own Swin encoders (test fixture).

usage: transseg_swin_names.py SRC_DIR

SRC_DIR holds TransSeg's `swin_transformer.py` and `swin_transformer_3d.py`; their timm / mmcv /
mmseg / einops imports are replaced by small stand-ins (nothing of them is used to build the
modules but DropPath and the init helpers). Prints {"swin": {name: shape}, "swin3d": {...}} for a
small swint (patch (5, 4, 4), one channel) and swint3d (patch (2, 4, 4), window (8, 7, 7)).
"""
import importlib.util
import json
import sys
import types

import torch.nn as nn

src = sys.argv[1]


def stub(name, **attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod


class DropPath(nn.Module):
    def __init__(self, p=0.0):
        super().__init__()


tup = lambda n: (lambda v: tuple(v) if isinstance(v, (tuple, list)) else (v,) * n)
stub("timm"); stub("timm.models")
stub("timm.models.layers", DropPath=DropPath, to_2tuple=tup(2), to_3tuple=tup(3), trunc_normal_=lambda t, std=1.0: nn.init.trunc_normal_(t, std=std))
stub("mmseg"); stub("mmseg.utils", get_root_logger=lambda: None)
stub("mmcv"); stub("mmcv.parallel", is_module_wrapper=lambda m: False); stub("mmcv.runner", get_dist_info=lambda: (0, 1), load_state_dict=None)
stub("einops", rearrange=None)


def load(name):
    spec = importlib.util.spec_from_file_location(name, f"{src}/{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


swin = load("swin_transformer").SwinTransformer(pretrain_img_size=(5, 64, 64), patch_size=(5, 4, 4), in_chans=1, embed_dim=16, depths=[2, 2, 4, 2], num_heads=[1, 2, 2, 4], window_size=7, out_indices=(0, 1, 2, 3))
swin3d = load("swin_transformer_3d").SwinTransformer3D(pretrained2d=False, patch_size=(2, 4, 4), embed_dim=16, depths=[2, 2, 4, 2], num_heads=[1, 2, 2, 4], window_size=(8, 7, 7), patch_norm=True, in_chans=1)
print(json.dumps({k: {n: list(t.shape) for n, t in m.state_dict().items()} for k, m in [("swin", swin), ("swin3d", swin3d)]}))
