"""PyTorch side of the epoch row of `pnpm bench`: one Fashion-MNIST epoch of the alemi recipe.

The same work as `vib train --preset alemi-mnist --data fashion-mnist --epochs 1`: 784-1024-1024 ReLU encoder,
mu and log sigma^2 heads (K=256), a softmax decoder, loss CE + 1e-3 * KL(q(z|x) || N(0, I)), Adam (lr 1e-4),
batch 100, a shuffled epoch over the 60,000 training images with per-batch loss/KL/accuracy read back, an EMA of
the weights (decay 0.999 with TensorFlow's warm-up), the end-of-epoch test evaluation with the EMA weights
(mean code, one sample and S samples, as vib's per-epoch history records them), then the final evaluation on
the 10,000 test images: mean code, one sample and the 12-sample average in probability space. Prints one JSON line: seconds (training + evaluation, after loading),
accuracy, and peak resident memory in MiB (see own_peak_rss_mib). Run with /usr/bin/python3, OMP_WAIT_POLICY=PASSIVE.
VIB_BENCH_TORCH_DEVICE=cuda trains on the GPU, the data moved there once before the clock starts (as vib's webgpu
backend holds it on the device), and adds the GPU's peak allocated memory.
"""
import json
import math
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from idx_files import LABELS, idx_images, idx_values

torch.set_num_threads(int(os.environ.get("VIB_BENCH_TORCH_THREADS", "2")))
torch.manual_seed(0)
DEVICE = torch.device(os.environ.get("VIB_BENCH_TORCH_DEVICE", "cpu"))
DIR = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
B, K, BETA, S = 100, 256, 1e-3, 12


def own_peak_rss_mib():
    """This process's own peak RSS in MiB: the kernel's VmHWM (Linux), its high-water mark since the process started.

    Not getrusage's ru_maxrss, which Linux carries across fork and exec: a process forked from a parent of 450 MiB
    reports at least that much, whatever it used itself. Elsewhere ru_maxrss (bytes on macOS, KiB on the BSDs).
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


x_train = idx_images(os.path.join(DIR, "train-images-idx3-ubyte.gz")).to(DEVICE)
y_train = torch.from_numpy(idx_values(os.path.join(DIR, "train-labels-idx1-ubyte.gz"), LABELS).astype(np.int64)).to(DEVICE)
x_test = idx_images(os.path.join(DIR, "t10k-images-idx3-ubyte.gz")).to(DEVICE)
y_test = torch.from_numpy(idx_values(os.path.join(DIR, "t10k-labels-idx1-ubyte.gz"), LABELS).astype(np.int64)).to(DEVICE)


class Vib(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2 = torch.nn.Linear(784, 1024), torch.nn.Linear(1024, 1024)
        self.mu, self.lv, self.out = torch.nn.Linear(1024, K), torch.nn.Linear(1024, K), torch.nn.Linear(K, 10)

    def heads(self, x):
        h = F.relu(self.l2(F.relu(self.l1(x))))
        return self.mu(h), self.lv(h)


model = Vib().to(DEVICE)
opt = torch.optim.Adam(model.parameters(), 1e-4)
ema = [p.detach().clone() for p in model.parameters()]


def kl(mu, lv):
    return 0.5 * (lv.exp() + mu * mu - 1 - lv).sum(1)


def evaluate(samples):
    """Mean-code, one-sample and S-sample accuracy and the mean KL over the test set, 500 at a time."""
    correct = [0, 0, 0]
    rate = 0.0
    with torch.no_grad():
        for s in range(0, len(x_test), 500):
            x, y = x_test[s:s + 500], y_test[s:s + 500]
            mu, lv = model.heads(x)
            rate += kl(mu, lv).sum().item()
            std = (0.5 * lv).exp()
            z = mu + std * torch.randn((samples,) + mu.shape, device=DEVICE)
            logp = F.log_softmax(model.out(z), -1)
            avg = torch.logsumexp(logp, 0) - math.log(samples)
            for i, lp in enumerate((F.log_softmax(model.out(mu), -1), logp[0], avg)):
                correct[i] += (lp.argmax(-1) == y).sum().item()
    return [c / len(x_test) for c in correct], rate / len(x_test)


def swap():
    with torch.no_grad():
        for p, e in zip(model.parameters(), ema):
            t = p.detach().clone()
            p.copy_(e)
            e.copy_(t)


start = time.perf_counter()
order = torch.randperm(len(x_train), device=DEVICE)
for step, s in enumerate(range(0, len(x_train), B)):
    ids = order[s:s + B]
    x, y = x_train[ids], y_train[ids]
    mu, lv = model.heads(x)
    z = mu + (0.5 * lv).exp() * torch.randn_like(mu)
    logits = model.out(z)
    ce = F.cross_entropy(logits, y)
    klm = kl(mu, lv).mean()
    loss = ce + BETA * klm
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    stats = torch.stack([loss.detach(), ce.detach(), klm.detach(), (logits.argmax(-1) == y).sum().float()]).tolist()
    d = min(0.999, (1 + step) / (10 + step))
    with torch.no_grad():
        for p, e in zip(model.parameters(), ema):
            e.mul_(d).add_(p.detach(), alpha=1 - d)
swap()
evaluate(S)  # end-of-epoch test figures with the EMA weights: mean code, one sample, S samples, rate (vib's history has all four)
final, rate = evaluate(S)  # the run's final evaluation, 12 samples
seconds = time.perf_counter() - start
peak = own_peak_rss_mib()
gpu = {"gpu": torch.cuda.get_device_name(DEVICE), "gpuPeakMiB": torch.cuda.max_memory_allocated(DEVICE) / 2**20} if DEVICE.type == "cuda" else {}
print(json.dumps({"seconds": seconds, "accuracy": final[0], "accuracySampled": final[2], "rateNats": rate,
                  "peakMiB": peak, "torch": torch.__version__, "threads": torch.get_num_threads(), "device": str(DEVICE), **gpu}), flush=True)
