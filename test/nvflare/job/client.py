"""The integration test's training script (NVFlare Client API).

Its update is deterministic so that the FedAvg is known in advance: site-K sends, for every layer and
round R, the values  value(K, R, i) = K * (R + 1) + ((i % 13) - 6) * 0.01 * K  (i = flat index), weighted
by NUM_STEPS_CURRENT_ROUND = STEPS[K]. From round 1 on it also checks that the global model it received
(decrypted by NVFlare's HE filter) is the weighted FedAvg of the previous round, and fails otherwise.
test/nvflare/expected-fedavg.ts holds the same formula.
"""

import numpy as np
import torch

import nvflare.client as flare
from model import SimpleNet

STEPS = {1: 1, 2: 3}


def value(site_no, rnd, n):
    i = np.arange(n)
    return site_no * (rnd + 1) + ((i % 13) - 6) * 0.01 * site_no


def fedavg(rnd, n):
    total = sum(STEPS.values())
    return sum(STEPS[k] * value(k, rnd, n) for k in STEPS) / total


def main():
    flare.init()
    site_no = int(flare.get_site_name().rsplit("-", 1)[-1])
    shapes = {k: tuple(v.shape) for k, v in SimpleNet().state_dict().items()}
    while flare.is_running():
        received = flare.receive()
        rnd = received.current_round
        for name, shape in shapes.items():
            got = np.asarray(received.params[name], dtype=np.float64).reshape(-1)
            if got.size != int(np.prod(shape)):
                raise ValueError(f"{name}: got {got.size} values, expected shape {shape}")
            if rnd > 0:
                err = float(np.max(np.abs(got - fedavg(rnd - 1, got.size))))
                if err > 1e-3:
                    raise ValueError(f"round {rnd}: global {name} is not the FedAvg of round {rnd - 1} (max err {err})")
        params = {
            name: torch.tensor(value(site_no, rnd, int(np.prod(shape))), dtype=torch.float32).reshape(shape)
            for name, shape in shapes.items()
        }
        print(f"site-{site_no} round {rnd}: sending deterministic update", flush=True)
        flare.send(flare.FLModel(params=params, meta={"NUM_STEPS_CURRENT_ROUND": STEPS[site_no]}))


if __name__ == "__main__":
    main()
