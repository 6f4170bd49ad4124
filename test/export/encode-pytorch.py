# PyTorch's side of the round-trip test: loads model.py with the weights train.py wrote (in aelang's
# ids and layouts), reads a data argument with train.py's own reader (as `ae` reads and scales it),
# and writes the codes as .npy (images back to NHWC, as aelang's).
#   python encode-pytorch.py EXPORT_DIR WEIGHTS DATA OUT.npy
import sys

import numpy as np
import torch

directory, weights, data, out = sys.argv[1:5]
sys.path.insert(0, directory)
import model as exported  # noqa: E402
import train  # noqa: E402

net = exported.load(weights)
x = train.to_model_layout(train.read_source(data))
with torch.no_grad():
    code = net.encode(x)
np.save(out, (code.permute(0, 2, 3, 1) if code.dim() == 4 else code).contiguous().numpy())
