#!/usr/bin/env python3
"""Writes the files in examples/interop/ with the tools researchers use.

    /usr/bin/python3 scripts/make-interop-examples.py          # write the examples
    /usr/bin/python3 scripts/make-interop-examples.py --check  # also run onnx.checker on relucert's ONNX output

Needs NumPy, PyTorch and onnx (Debian: python3-numpy python3-torch python3-onnx).
Not run by the tests: the files it writes are committed, and the tests read them.

- abs.csv: |x| at a few points, as decimal and scientific-notation text.
- X.npy (float64, n x 1) and y.npy (float32, n): the same data written by
  NumPy; float32 0.1 is 13421773/134217728, not 1/10, and relucert reads it so.
- abs-k2.onnx: torch.onnx.export of nn.Sequential(Linear(1, 2), ReLU(), Linear(2, 1))
  with the weights of |x| = relu(x) + relu(-x) (float32 initializers, opset 13).
- abs-k2.safetensors: the same state dict in the safetensors layout (an 8-byte
  little-endian header length, a JSON header, the raw little-endian tensors),
  written here by that specification because the safetensors package is not
  packaged for Debian.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'examples', 'interop')
XS = [-1.0, -0.5, 0.0, 0.1, 1.0]


def abs_model() -> torch.nn.Sequential:
    model = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0], [-1.0]]))
        model[0].bias.zero_()
        model[2].weight.copy_(torch.tensor([[1.0, 1.0]]))
        model[2].bias.zero_()
    return model.eval()


def write_safetensors(path: str, tensors: dict) -> None:
    header, blobs, at = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [at, at + len(data)]}
        blobs.append(data)
        at += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'abs.csv'), 'w') as f:
        f.write('x,y\n-1,1\n-0.5,0.5\n0,0\n1e-1,1E-1\n1.0,1\n')
    np.save(os.path.join(OUT, 'X.npy'), np.array(XS, dtype=np.float64).reshape(-1, 1))
    np.save(os.path.join(OUT, 'y.npy'), np.abs(np.array(XS, dtype=np.float32)))
    model = abs_model()
    torch.onnx.export(model, torch.zeros(1, 1), os.path.join(OUT, 'abs-k2.onnx'), input_names=['input'], output_names=['output'],
                      dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}}, opset_version=13)
    write_safetensors(os.path.join(OUT, 'abs-k2.safetensors'), model.state_dict())
    if '--check' in sys.argv:
        check()


def check() -> None:
    """relucert's ONNX output passes the official onnx checker (full check with shape inference)."""
    import onnx
    root = os.path.join(OUT, '..', '..')
    with tempfile.TemporaryDirectory() as tmp:
        for net in ['examples/abs-3-k2.network.json', 'examples/xor-plot.network.json', 'examples/learn/teacher.teacher.json']:
            path = os.path.join(tmp, 'm.onnx')
            subprocess.run(['node', 'bin/relucert.js', 'export-network', net, '--onnx', path], cwd=root, check=True, stdout=subprocess.DEVNULL)
            onnx.checker.check_model(onnx.load(path), full_check=True)
            print(f'onnx.checker: {net}: valid')


if __name__ == '__main__':
    main()
