#!/usr/bin/env python3
"""The yardstick of `addernet bench`: a plain CNN ResNet-20 (the CIFAR ResNet of He et al. 2016, 1x1
convolution + BatchNorm shortcuts where the shape changes, as our resnet20) trained with PyTorch on the
CPU (oneDNN), on random data. Prints one JSON object: images/s of a training step (cross-entropy,
backward, SGD with momentum and weight decay) and of eval-mode inference.

    python3 tools/torch_resnet20.py --threads 2 --batch 64 --seconds 10

Needs PyTorch (Debian: apt-get install python3-torch). Reads no code but PyTorch's own.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet20(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(3):
                layers.append(Block(cin, cout, stride if i == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def best_seconds(body, seconds):
    """Warm up, then the best mean seconds per call over three rounds (as the Java bench's Timing.best)."""
    start, warm = time.perf_counter(), 0
    while warm < 3 or time.perf_counter() - start < seconds / 2:
        body()
        warm += 1
    per_call = (time.perf_counter() - start) / warm
    reps = max(1, int(seconds / 3 / per_call))
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(reps):
            body()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = ResNet20()
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(args.batch, 3, 32, 32)
    y = torch.arange(args.batch) % 10

    def train_step():
        model.train()
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    def infer():
        model.eval()
        with torch.no_grad():
            model(x)

    train = args.batch / best_seconds(train_step, args.seconds)
    inference = args.batch / best_seconds(infer, args.seconds)
    print(json.dumps({"torch": torch.__version__, "onednn": torch.backends.mkldnn.is_available(), "threads": args.threads,
                      "batch": args.batch, "train_images_per_sec": train, "infer_images_per_sec": inference}))


if __name__ == "__main__":
    main()
