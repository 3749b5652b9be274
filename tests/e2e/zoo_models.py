"""The model zoo of the end-to-end tests: what users deploy today, built with Debian's torch
and exported with torch.onnx.export (random weights, fixed seeds, static shapes), at small
sizes so that CI runs them in seconds. Architectures are torchvision's own classes at
reduced widths/depths, plus small hand-written transformer, detector and speech models.

  zoo_models.py OUT_DIR [NAME ...]   exports (skipping files that exist); prints paths

A spec: name -> (builder, inputs [(name, shape, dtype)], opset). Integer inputs are token
ids (int64 in the model, int32 raw files at run time, as QNN narrows them)."""
import os
import sys


def _tv(name, **kw):
    import torchvision
    return getattr(torchvision.models, name)(weights=None, **kw)


def vit():
    from torchvision.models.vision_transformer import VisionTransformer
    import torch
    m = VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=64, mlp_dim=128,
                          num_classes=10)
    # torchvision zero-initializes the classifier (weight and bias): the logits would be all 0
    # whatever the input, and the test would compare zeros with zeros.
    torch.nn.init.normal_(m.heads.head.weight, std=0.05)
    torch.nn.init.normal_(m.heads.head.bias, std=0.05)
    return m


def swin():
    from torchvision.models.swin_transformer import SwinTransformer
    return SwinTransformer(patch_size=[4, 4], embed_dim=32, depths=[2, 2], num_heads=[2, 4], window_size=[4, 4],
                           num_classes=10)


def convnext():
    from torchvision.models.convnext import CNBlockConfig, ConvNeXt
    return ConvNeXt([CNBlockConfig(32, 64, 2), CNBlockConfig(64, None, 2)], num_classes=10)


def deeplab():
    import torchvision
    return torchvision.models.segmentation.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None)


def lraspp():
    import torchvision
    return torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)


def fcn():
    import torchvision
    return torchvision.models.segmentation.fcn_resnet50(weights=None, weights_backbone=None)


def detector():
    """A YOLO-style head without NMS: SiLU convs, nearest upsampling, Concat, ConvTranspose,
    Sigmoid on the boxes."""
    import torch
    from torch import nn

    class Det(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.SiLU())
            self.c2 = nn.Sequential(nn.Conv2d(16, 32, 3, 2, 1), nn.SiLU())
            self.up = nn.Upsample(scale_factor=2, mode="nearest")
            self.fuse = nn.Sequential(nn.Conv2d(48, 32, 1), nn.SiLU())
            self.deconv = nn.ConvTranspose2d(32, 16, 2, 2)
            self.head = nn.Conv2d(16, 9, 1)

        def forward(self, x):
            a = self.c1(x)
            b = self.c2(a)
            y = self.fuse(torch.cat([self.up(b), a], 1))
            y = self.head(self.deconv(y))
            return torch.sigmoid(y.flatten(2).transpose(1, 2))

    return Det()


def text_encoder():
    """A BERT-style encoder: token embedding (Gather on run-time ids), learned positions,
    two post-norm transformer layers (GELU), mean pooling."""
    import torch
    from torch import nn

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(100, 64)
            self.pos = nn.Parameter(torch.randn(1, 16, 64) * 0.1)
            layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0, activation="gelu", batch_first=True)
            self.enc = nn.TransformerEncoder(layer, 2)
            self.out = nn.Linear(64, 8)

        def forward(self, ids):
            return self.out(self.enc(self.tok(ids) + self.pos).mean(1))

    return Enc()


def speech():
    """A keyword-spotting style model: Conv1d front end over 40 mel bins, GELU, LayerNorm,
    one self-attention layer, a linear classifier."""
    import torch
    from torch import nn

    class Kws(nn.Module):
        def __init__(self):
            super().__init__()
            self.front = nn.Sequential(nn.Conv1d(40, 64, 3, padding=1), nn.GELU(), nn.Conv1d(64, 64, 3, 2, 1),
                                       nn.GELU())
            self.norm = nn.LayerNorm(64)
            self.attn = nn.MultiheadAttention(64, 4, batch_first=True)
            self.cls = nn.Linear(64, 12)

        def forward(self, mel):
            h = self.norm(self.front(mel).transpose(1, 2))
            h = h + self.attn(h, h, h, need_weights=False)[0]
            return self.cls(h.mean(1))

    return Kws()


def bert():
    """A BERT-style encoder: int64 token ids and attention mask (1 = token, 0 = padding),
    word + position + token-type embeddings, LayerNorm, two encoder layers with the additive
    mask ((1 - mask) * -10000) as Hugging Face builds it, GELU (erf), a pooler (tanh)."""
    import torch
    from torch import nn

    class Layer(nn.Module):
        def __init__(self, d=64, heads=4):
            super().__init__()
            self.h, self.dk = heads, d // heads
            self.qkv = nn.Linear(d, 3 * d)
            self.o = nn.Linear(d, d)
            self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
            self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

        def forward(self, x, add_mask):
            b, s, d = x.shape
            q, k, v = self.qkv(x).split(d, dim=-1)
            q, k, v = (t.view(b, s, self.h, self.dk).transpose(1, 2) for t in (q, k, v))
            a = torch.softmax(q @ k.transpose(-1, -2) / self.dk ** 0.5 + add_mask, dim=-1)
            x = self.n1(x + self.o((a @ v).transpose(1, 2).reshape(b, s, d)))
            return self.n2(x + self.ff(x))

    class Bert(nn.Module):
        def __init__(self):
            super().__init__()
            self.word, self.pos, self.segment = nn.Embedding(100, 64), nn.Embedding(16, 64), nn.Embedding(2, 64)
            self.norm = nn.LayerNorm(64)
            self.layers = nn.ModuleList([Layer(), Layer()])
            self.pool = nn.Linear(64, 64)

        def forward(self, ids, mask):
            s = ids.shape[1]
            pos = torch.arange(s).unsqueeze(0)
            x = self.norm(self.word(ids) + self.pos(pos) + self.segment(torch.zeros_like(ids)))
            add_mask = (1.0 - mask[:, None, None, :].to(torch.float32)) * -10000.0
            for layer in self.layers:
                x = layer(x, add_mask)
            return torch.tanh(self.pool(x[:, 0]))

    return Bert()


def gpt2():
    """A GPT-2-style decoder: token + learned position embeddings, two pre-norm blocks with
    a causal mask built from tril and masked_fill (Trilu/Where patterns), tied LM head."""
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self, d=64, heads=4):
            super().__init__()
            self.h, self.dk = heads, d // heads
            self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
            self.attn, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))

        def forward(self, x):
            b, s, d = x.shape
            q, k, v = self.attn(self.ln1(x)).split(d, dim=-1)
            q, k, v = (t.view(b, s, self.h, self.dk).transpose(1, 2) for t in (q, k, v))
            w = q @ k.transpose(-1, -2) / self.dk ** 0.5
            causal = torch.tril(torch.ones(s, s, dtype=torch.bool))
            w = w.masked_fill(~causal, float("-inf"))
            y = (torch.softmax(w, dim=-1) @ v).transpose(1, 2).reshape(b, s, d)
            x = x + self.proj(y)
            return x + self.mlp(self.ln2(x))

    class Gpt(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok, self.pos = nn.Embedding(100, 64), nn.Embedding(16, 64)
            self.blocks = nn.ModuleList([Block(), Block()])
            self.ln = nn.LayerNorm(64)

        def forward(self, ids):
            x = self.tok(ids) + self.pos(torch.arange(ids.shape[1]).unsqueeze(0))
            for blk in self.blocks:
                x = blk(x)
            return self.ln(x) @ self.tok.weight.t()

    return Gpt()


def unet():
    """A small U-Net: two down levels, ConvTranspose up-sampling on one skip, bilinear
    Resize (align_corners=False) on the other, Concat skips, a 1x1 head."""
    import torch
    from torch import nn
    import torch.nn.functional as F

    def block(i, o):
        return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.d1, self.d2, self.d3 = block(3, 16), block(16, 32), block(32, 64)
            self.up2 = nn.ConvTranspose2d(64, 32, 2, stride=2)
            self.u2, self.u1 = block(64, 32), block(48, 16)
            self.head = nn.Conv2d(16, 5, 1)

        def forward(self, x):
            a = self.d1(x)
            b = self.d2(F.max_pool2d(a, 2))
            c = self.d3(F.max_pool2d(b, 2))
            y = self.u2(torch.cat([self.up2(c), b], 1))
            y = F.interpolate(y, scale_factor=2, mode="bilinear", align_corners=False)
            return self.head(self.u1(torch.cat([y, a], 1)))

    return UNet()


def lstm():
    """A Silero-VAD style recurrent classifier: two bidirectional LSTM layers over features."""
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(40, 32, num_layers=2, bidirectional=True, batch_first=True)
            self.out = nn.Linear(64, 4)

        def forward(self, x):
            return self.out(self.rnn(x)[0])

    return Net()


def gru():
    """A CRNN-style OCR head: a conv front end, then a GRU over the width, per-step logits."""
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
            self.rnn = nn.GRU(16 * 8, 48, batch_first=True)
            self.out = nn.Linear(48, 20)

        def forward(self, x):
            f = self.conv(x)  # [1, 16, 8, 32]
            f = f.permute(0, 3, 1, 2).reshape(1, 32, 16 * 8)
            return self.out(self.rnn(f)[0])

    return Net()


def video_resnet(kind):
    """torchvision's VideoResNet (the R3D / R(2+1)D video classifiers) with one block per
    stage: R3D's full 3x3x3 convs, or R(2+1)D's (1,3,3) spatial + (3,1,1) temporal pairs."""
    from torchvision.models.video import resnet as v
    if kind == "r3d":
        return v.VideoResNet(v.BasicBlock, [v.Conv3DSimple] * 4, [1, 1, 1, 1], v.BasicStem, num_classes=10)
    return v.VideoResNet(v.BasicBlock, [v.Conv2Plus1D] * 4, [1, 1, 1, 1], v.R2Plus1dStem, num_classes=10)


IMG32, IMG64 = [("input", [1, 3, 32, 32], "float32")], [("input", [1, 3, 64, 64], "float32")]
CLIP = [("input", [1, 3, 4, 32, 32], "float32")]  # N, C, frames, H, W
MODELS = {
    "vit_13": (vit, IMG32, 13),
    "vit_17": (vit, IMG32, 17),
    "swin_13": (swin, IMG64, 13),
    "convnext_13": (convnext, IMG64, 13),
    "convnext_17": (convnext, IMG64, 17),
    "shufflenet_13": (lambda: _tv("shufflenet_v2_x0_5"), IMG64, 13),
    "regnet_13": (lambda: _tv("regnet_y_400mf"), IMG64, 13),
    "efficientnet_13": (lambda: _tv("efficientnet_b0"), IMG64, 13),
    "efficientnet_v2_17": (lambda: _tv("efficientnet_v2_s"), IMG64, 17),
    "mobilenet_v3_13": (lambda: _tv("mobilenet_v3_small"), IMG64, 13),
    "densenet_13": (lambda: _tv("densenet121"), IMG64, 13),
    "googlenet_13": (lambda: _tv("googlenet", init_weights=True, aux_logits=False), IMG64, 13),
    "mnasnet_13": (lambda: _tv("mnasnet0_5"), IMG64, 13),
    "deeplab_13": (deeplab, IMG64, 13),
    "lraspp_17": (lraspp, IMG64, 17),
    "fcn_13": (fcn, IMG64, 13),
    "detector_13": (detector, IMG64, 13),
    "text_encoder_13": (text_encoder, [("ids", [1, 16], "int64")], 13),
    "text_encoder_17": (text_encoder, [("ids", [1, 16], "int64")], 17),
    "speech_17": (speech, [("mel", [1, 40, 32], "float32")], 17),
    "bert_13": (bert, [("ids", [1, 16], "int64"), ("mask", [1, 16], "mask")], 13),
    "bert_17": (bert, [("ids", [1, 16], "int64"), ("mask", [1, 16], "mask")], 17),
    "gpt2_14": (gpt2, [("ids", [1, 16], "int64")], 14),
    "unet_13": (unet, IMG64, 13),
    "lstm_13": (lstm, [("feats", [1, 20, 40], "float32")], 13),
    "gru_17": (gru, [("image", [1, 1, 16, 64], "float32")], 17),
    "r3d_13": (lambda: video_resnet("r3d"), CLIP, 13),
    "r2plus1d_17": (lambda: video_resnet("r2plus1d"), CLIP, 17),
}


# Models whose activations vanish with random weights and default BatchNorm statistics.
BN_ESTIMATED = {"efficientnet_13", "efficientnet_v2_17", "mobilenet_v3_13", "googlenet_13", "mnasnet_13",
                "shufflenet_13", "deeplab_13", "lraspp_17"}


def random_args(inputs, batch=None):
    import torch
    shape = (lambda s: [batch] + s[1:]) if batch else (lambda s: s)
    def one(s, dt):
        if dt == "int64":
            return torch.randint(0, 100, shape(s))
        if dt == "mask":  # attention mask: ones, then padding zeros at the end
            m = torch.ones(shape(s), dtype=torch.int64)
            m[..., s[-1] * 3 // 4:] = 0
            return m
        return torch.randn(*shape(s))
    return tuple(one(s, dt) for _, s, dt in inputs)


def estimate_batchnorm_statistics(model, inputs):
    """Random weights leave BatchNorm at mean 0 / variance 1, and in deep nets (EfficientNet,
    MobileNetV3, GoogLeNet) the activations then vanish layer by layer to ~0: below fp16 and
    below any quantization range, unlike a trained network. As in export_models.py, the
    statistics are estimated from random batches instead (weights stay random); this makes
    the nets chaotic (errors grow block by block), hence their lower HTP floors."""
    import torch
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the batches below
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(*random_args(inputs, batch=4))


def export(name, path):
    import torch

    builder, inputs, opset = MODELS[name]
    torch.manual_seed(0)
    model = builder()
    if name in BN_ESTIMATED:
        estimate_batchnorm_statistics(model, inputs)
    model.eval()

    class Plain(torch.nn.Module):  # segmentation models return {"out": ...}
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, *x):
            y = self.m(*x)
            return y["out"] if isinstance(y, dict) else y

    args = random_args(inputs)
    tmp = path + ".tmp"
    # Not under no_grad: that would pick torch's fused attention kernel, which does not export.
    torch.onnx.export(Plain(model), args, tmp, opset_version=opset, input_names=[n for n, _, _ in inputs],
                      output_names=["output"], do_constant_folding=True)
    os.replace(tmp, path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name in sys.argv[2:] or MODELS:
        path = os.path.join(out, name + ".onnx")
        if not os.path.exists(path):
            export(name, path)
        print(path)


if __name__ == "__main__":
    main()
