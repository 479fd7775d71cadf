# The KDE upper estimate (Saxe et al. 2018; Kolchinsky & Tracey 2017) as one writes it in PyTorch: all pairwise
# squared distances (torch.cdist), a log-sum-exp per row over all rows and over the rows of its class, in float64.
# Driven by bench/kde.ts: argv[1] is a file of cases (n, d, noise variance, then n·d float64 activations and n int32
# labels each); each line on stdin names a case to estimate once, and the answer is one JSON line.
import json, math, os, re, struct, sys, time
import torch

torch.set_num_threads(int(os.environ.get('VIB_BENCH_TORCH_THREADS', '2')))
cases = []
with open(sys.argv[1], 'rb') as f:
    (count,) = struct.unpack('<i', f.read(4))
    for _ in range(count):
        n, d, var = struct.unpack('<iid', f.read(16))
        x = torch.frombuffer(bytearray(f.read(8 * n * d)), dtype=torch.float64).reshape(n, d)
        y = torch.frombuffer(bytearray(f.read(4 * n)), dtype=torch.int32).long()
        cases.append((x, y, var))


def kde_upper(x, y, var):
    n = x.shape[0]
    d2 = torch.cdist(x, x) ** 2
    ixt = -(torch.logsumexp(-d2 / (2 * var), dim=1) - math.log(n)).mean()
    cond = torch.zeros((), dtype=torch.float64)
    for c in torch.unique(y):
        m = y == c
        rows = torch.logsumexp(-d2[m][:, m] / (2 * var), dim=1)
        cond = cond - (rows - math.log(int(m.sum()))).sum() / n
    return float(ixt), float(ixt - cond)


# the kernels ATen dispatches to on this CPU (DEFAULT, AVX2 or AVX512): this estimate took 0.41-0.44 s on a Zen 4
# host (AVX2) against 2.0-2.2 s on the Zen 5 host (the performance log's round forty-one)
capability = re.search(r'CPU capability usage: (\S+)', torch.__config__.show())
print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads(),
                  'cpuKernels': capability.group(1) if capability else 'unknown'}), flush=True)
for line in sys.stdin:
    x, y, var = cases[int(line)]
    t = time.perf_counter()
    ixt, ity = kde_upper(x, y, var)
    print(json.dumps({'ms': (time.perf_counter() - t) * 1e3, 'ixt': ixt, 'ity': ity}), flush=True)
