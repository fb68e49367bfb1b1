"""decrypt_global.py RESULT_DIR CLIENT_CONTEXT: decrypt the HE global model of a downloaded NVFlare job.

Finds the one FL_global_model.pt under RESULT_DIR (PTFileModelPersistor's file; with HE its layers are
serialized TenSEAL CKKS vectors), decrypts every layer with the client's TenSEAL context, and prints one
JSON line: {"event": "decrypted", "file": ..., "layers": {name: {"encrypted": bool, "values": [...]}}}.
"""

import glob
import json
import os
import sys

import tenseal as ts
import torch


def main(result_dir, context_file):
    found = glob.glob(os.path.join(result_dir, "**", "FL_global_model.pt"), recursive=True)
    if len(found) != 1:
        raise SystemExit(f"expected one FL_global_model.pt under {result_dir}, found {found}")
    with open(context_file, "rb") as f:
        ctx = ts.context_from(f.read())
    saved = torch.load(found[0], map_location="cpu")
    layers = {}
    for name, value in saved["model"].items():
        if isinstance(value, bytes):
            values = ts.ckks_vector_from(ctx, value).decrypt()
            layers[name] = {"encrypted": True, "values": values}
        else:
            layers[name] = {"encrypted": False, "values": torch.as_tensor(value).reshape(-1).tolist()}
    print(json.dumps({"event": "decrypted", "file": found[0], "layers": layers}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
