"""BesNet-50 as Trainyard builds it, in PyTorch, timed like `trainyard bench besnet`: the peer a user
would otherwise pick, on the CPU (docs/experiments/besnet-bench.sh) or on an NVIDIA GPU
(docs/experiments/besnet-gpu-torch.sh).

The network: ReLU then batch norm; bottlenecks 3x1x1 - 1x3x3 - 3x1x1 with a random temporal dilation
of 1 or 2 per call in training (both, averaged, in evaluation); stride on the first 3x1x1 and on the
projection; 400 classes. A step is zero_grad, forward, cross-entropy, backward, Adam.

GFLOP are counted from the convolutions actually run (2 per multiply-add, forward hooks), times 3
for a training step, as the Java bench counts them.

Data, as `trainyard bench besnet` since 2026-11-28: a new random minibatch every step (clips in
[0, 1), random classes, seeded), made before the step's timer starts. `--data fixed` steps one
minibatch over and over (the bench before 2026-11-28), which the net memorises within ten steps.

Usage: besnet_torch.py --device cpu|cuda [--batch 2] [--frames 8] [--size 112] [--steps 5]
       [--warmup 1] [--threads N] [--precision fp32|tf32|bf16] [--data fresh|fixed] --out FILE.json
"""
import argparse
import json
import random
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Temporal(nn.Conv3d):
    def __init__(self, cin, cout, stride):
        super().__init__(cin, cout, (3, 1, 1), stride=(1, stride, stride))

    def forward(self, x):
        ds = [random.choice([1, 2])] if self.training else [1, 2]
        return sum(F.conv3d(x, self.weight, self.bias, self.stride, (d, 0, 0), (d, 1, 1)) for d in ds) / len(ds)


def unit(conv, c, act=True):
    return nn.Sequential(conv, nn.ReLU(), nn.BatchNorm3d(c)) if act else nn.Sequential(conv, nn.BatchNorm3d(c))


class Block(nn.Module):
    def __init__(self, cin, w, stride):
        super().__init__()
        self.branch = nn.Sequential(unit(Temporal(cin, w, stride), w),
                                    unit(nn.Conv3d(w, w, (1, 3, 3), padding=(0, 1, 1)), w),
                                    unit(Temporal(w, 4 * w, 1), 4 * w))
        self.short = unit(Temporal(cin, 4 * w, stride), 4 * w, act=False) if stride != 1 or cin != 4 * w else nn.Identity()

    def forward(self, x):
        return self.branch(x) + self.short(x)


def besnet50(classes=400):
    layers = [unit(nn.Conv3d(3, 64, (1, 7, 7), stride=(1, 2, 2), padding=(0, 3, 3)), 64), nn.MaxPool3d((1, 3, 3), (1, 2, 2))]
    cin = 64
    for stage, (w, n) in enumerate(zip([64, 128, 256, 512], [3, 4, 6, 3])):
        for b in range(n):
            layers.append(Block(cin, w, 1 if b or stage == 0 else 2))
            cin = 4 * w
    return nn.Sequential(*layers), nn.Linear(2048, classes)


def count_conv_flops(model):
    """Adds 2 * multiply-adds of every convolution run to the returned list's first element."""
    total = [0]

    def hook(m, inputs, out):
        k = m.kernel_size[0] * m.kernel_size[1] * m.kernel_size[2]
        total[0] += 2 * out.numel() * (m.in_channels // m.groups) * k

    for m in model.modules():
        if isinstance(m, nn.Conv3d):
            m.register_forward_hook(hook)
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--size", type=int, default=112)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--precision", default="fp32", choices=["fp32", "tf32", "bf16"])
    ap.add_argument("--data", default="fresh", choices=["fresh", "fixed"])
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    cuda = dev.type == "cuda"
    if cuda:
        # fp32: IEEE float products, what ND4J's CUDA build runs; tf32/bf16: what a PyTorch user may switch on
        torch.backends.cuda.matmul.allow_tf32 = a.precision != "fp32"
        torch.backends.cudnn.allow_tf32 = a.precision != "fp32"
        torch.backends.cudnn.benchmark = True

    def sync():
        if cuda:
            torch.cuda.synchronize()

    random.seed(1)
    torch.manual_seed(1)
    body, fc = besnet50()
    body.to(dev)
    fc.to(dev)
    flops = count_conv_flops(body)
    params = list(body.parameters()) + list(fc.parameters())
    opt = torch.optim.Adam(params, 1e-3)
    data = torch.Generator().manual_seed(2)

    def minibatch():
        x = torch.rand(a.batch, 3, a.frames, a.size, a.size, generator=data).to(dev)
        return x, torch.randint(400, (a.batch,), generator=data).to(dev)

    # drawn only when used, so that fresh minibatches start from the generator's first draw
    fixed = minibatch() if a.data == "fixed" else None
    losses = []

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            h = body(x).mean(dim=(3, 4)).max(dim=2).values
            loss = F.cross_entropy(fc(h).float(), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())

    def matmul_gflops(n, dtype):
        p = torch.rand(n, n, device=dev, dtype=dtype)
        q = torch.rand(n, n, device=dev, dtype=dtype)
        p @ q
        sync()
        reps = 20 if cuda else 5
        t0 = time.perf_counter()
        for _ in range(reps):
            p @ q
        sync()
        return 2 * n ** 3 / ((time.perf_counter() - t0) / reps) / 1e9

    # the product in the step's own arithmetic: fp32 (IEEE), fp32 inputs on TF32 units, or bf16
    n = 8192 if cuda else 2048
    peak = matmul_gflops(n, torch.bfloat16 if a.precision == "bf16" else torch.float32)
    def next_batch():
        return fixed if a.data == "fixed" else minibatch()

    for _ in range(a.warmup):
        step(*next_batch())
    sync()
    times, step_flops = [], []
    for _ in range(a.steps):
        xy = next_batch()
        sync()
        flops[0] = 0
        t0 = time.perf_counter()
        step(*xy)
        sync()
        times.append(time.perf_counter() - t0)
        step_flops.append(3 * flops[0])
    s = sorted(times)
    med = s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2
    gflop = sum(step_flops) / len(step_flops) / 1e9
    res = {"bench": "besnet-pytorch", "torch": torch.__version__, "device": a.device,
           "device_name": torch.cuda.get_device_name(dev) if cuda else "cpu",
           "threads": torch.get_num_threads(), "precision": a.precision,
           "matmul_n": n, "matmul_gflops": peak, "matmul_2048_gflops": peak if n == 2048 else None,
           "config": {"batch": a.batch, "frames": a.frames, "size": a.size, "steps": a.steps, "warmup": a.warmup,
                      "data": a.data},
           "training_step": {"parameters": sum(p.numel() for p in params), "step_seconds": times,
                             "losses": losses[a.warmup:],
                             "seconds_per_step": sum(times) / len(times), "median_step_seconds": med,
                             "clips_per_second": a.batch / med, "training_step_conv_gflop": gflop,
                             "gflops": gflop / med, "ratio_to_matmul": gflop / med / peak}}
    if cuda:
        res["max_memory_allocated_gib"] = torch.cuda.max_memory_allocated(dev) / 2 ** 30
    json.dump(res, open(a.out, "w"), indent=2)
    print(json.dumps({k: res[k] for k in ("device_name", "precision")} | {"batch": a.batch, "median_s": med,
                     "gflops": res["training_step"]["gflops"], "matmul_gflops": peak}))


if __name__ == "__main__":
    main()
