"""PyTorch side of `pnpm bench`: the same steps as models.ts, driven over stdin/stdout.

Protocol: one command per line, "<model> <min steps> <max steps> <budget ms>" (model: vib | vae | infer | infer-one |
infer-images | cnn; infer-one: the inference on a single input; cnn: models.ts's cnnStep, in PyTorch's NCHW layout),
answered with one JSON line {"model": ..., "ms": [per-step ms...]}. "quit" ends. Run with /usr/bin/python3,
OMP_WAIT_POLICY=PASSIVE. infer-images: the inference on the first B Fashion-MNIST test images of the gzipped IDX file
that VIB_BENCH_IMAGES names. VIB_BENCH_TORCH_DEVICE=cuda runs the steps on the GPU (each step ends in a read of its
result, .item(), which waits for the GPU as the tfjs side's read does).
"""
import json
import os
import re
import sys
import time

import torch
import torch.nn.functional as F

from idx_files import idx_images

torch.set_num_threads(int(os.environ.get("VIB_BENCH_TORCH_THREADS", "2")))
torch.manual_seed(0)
DEVICE = torch.device(os.environ.get("VIB_BENCH_TORCH_DEVICE", "cpu"))
B = int(os.environ.get("VIB_BENCH_BATCH", "100"))


class Vib(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2 = torch.nn.Linear(784, 1024), torch.nn.Linear(1024, 1024)
        self.mu, self.lv, self.out = torch.nn.Linear(1024, 256), torch.nn.Linear(1024, 256), torch.nn.Linear(256, 10)

    def heads(self, x):
        h = F.relu(self.l2(F.relu(self.l1(x))))
        return self.mu(h), self.lv(h)


class Vae(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc, self.mu, self.lv = torch.nn.Linear(784, 512), torch.nn.Linear(512, 32), torch.nn.Linear(512, 32)
        self.d1, self.d2 = torch.nn.Linear(32, 512), torch.nn.Linear(512, 784)


vib, vae = Vib().to(DEVICE), Vae().to(DEVICE)
vib_opt, vae_opt = torch.optim.Adam(vib.parameters(), 1e-4), torch.optim.Adam(vae.parameters(), 1e-3)
# models.ts's cnnStep: two 5x5 convolutions (32, 64 channels, same padding) with ReLU and 2x2 max pools, 3136-256-10
cnn = torch.nn.Sequential(
    torch.nn.Conv2d(1, 32, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(32, 64, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Linear(3136, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)).to(DEVICE)
cnn_opt = torch.optim.Adam(cnn.parameters(), 1e-3)
xi = torch.rand(B, 1, 28, 28, device=DEVICE)
x = torch.rand(B, 784, device=DEVICE)
y = torch.randint(0, 10, (B,), device=DEVICE)
xb = (torch.rand(B, 784, device=DEVICE) > 0.5).float()


def kl(mu, lv):
    return 0.5 * (lv.exp() + mu * mu - 1 - lv).sum(1).mean()


def vib_step():
    mu, lv = vib.heads(x)
    z = mu + (0.5 * lv).exp() * torch.randn_like(mu)
    loss = F.cross_entropy(vib.out(z), y) + 1e-3 * kl(mu, lv)
    vib_opt.zero_grad(set_to_none=True)
    loss.backward()
    vib_opt.step()
    return loss.item()


def vae_step():
    h = F.relu(vae.enc(xb))
    mu, lv = vae.mu(h), vae.lv(h)
    z = mu + (0.5 * lv).exp() * torch.randn_like(mu)
    logits = vae.d2(F.relu(vae.d1(z)))
    loss = F.binary_cross_entropy_with_logits(logits, xb, reduction="sum") / B + kl(mu, lv)
    vae_opt.zero_grad(set_to_none=True)
    loss.backward()
    vae_opt.step()
    return loss.item()


def cnn_step():
    loss = F.cross_entropy(cnn(xi), y)
    cnn_opt.zero_grad(set_to_none=True)
    loss.backward()
    cnn_opt.step()
    return loss.item()


def infer_step(inputs=x):
    with torch.no_grad():
        mu, _ = vib.heads(inputs)
        return F.softmax(vib.out(mu), 1).sum().item()


images = idx_images(os.environ["VIB_BENCH_IMAGES"], B).to(DEVICE) if os.environ.get("VIB_BENCH_IMAGES") else None
x1 = torch.rand(1, 784, device=DEVICE)
steps = {"vib": vib_step, "vae": vae_step, "infer": infer_step, "infer-one": lambda: infer_step(x1), "infer-images": lambda: infer_step(images), "cnn": cnn_step}
gpu = torch.cuda.get_device_name(DEVICE) if DEVICE.type == "cuda" else None
# the kernels ATen dispatches to on this CPU (DEFAULT, AVX2 or AVX512), as `torch.__config__.show()` says
capability = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "device": str(DEVICE), "gpu": gpu,
                  "cpuKernels": capability.group(1) if capability else "unknown"}), flush=True)
for line in sys.stdin:
    parts = line.split()
    if not parts or parts[0] == "quit":
        break
    # "<model> <min> <max> <budget ms>": the protocol of timeConfig in run-bench.ts, so both sides are timed
    # alike: two warm-up steps, then steps until the budget has passed (at least min, at most max)
    fn, lo, hi, budget = steps[parts[0]], int(parts[1]), int(parts[2]), float(parts[3])
    fn()
    fn()
    ms = []
    start = time.perf_counter()
    while len(ms) < lo or (len(ms) < hi and (time.perf_counter() - start) * 1e3 < budget):
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1e3)
    print(json.dumps({"model": parts[0], "ms": ms}), flush=True)
