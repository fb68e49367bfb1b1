"""The integration test's model: a tiny two-layer network (4 -> 8 -> 2)."""

import torch.nn as nn


class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(nn.functional.relu(self.fc1(x)))
