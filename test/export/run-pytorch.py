# Runs exported PyTorch models on the inputs the test wrote: for each directory given, loads
# model.py's load() and writes reconstruction.npy and code.npy (images back to NHWC, as aelang's),
# and prints one JSON line with the module's parameter and buffer counts. A conditional model's
# labels (label-NAME.npy, class indices) go to each method that takes them, by argument name.
import importlib.util
import inspect
import json
import sys

import numpy as np
import torch

for directory in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location(f'model_{abs(hash(directory))}', f'{directory}/model.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.load()
    x = torch.from_numpy(np.load(f'{directory}/input.npy'))
    if x.dim() == 4:
        x = x.permute(0, 3, 1, 2)
    labels = {name: torch.from_numpy(np.load(f'{directory}/label-{name}.npy')) for name in module.LABELS}
    call = lambda method: method(x, *[labels[name] for name in list(inspect.signature(method).parameters)[1:]])
    with torch.no_grad():
        reconstruction = call(model.forward)
        code = call(model.encode)
    to_aelang = lambda t: (t.permute(0, 2, 3, 1) if t.dim() == 4 else t).contiguous().numpy()
    np.save(f'{directory}/reconstruction.npy', to_aelang(reconstruction))
    np.save(f'{directory}/code.npy', to_aelang(code))
    stored = sum(p.numel() for p in model.parameters()) + sum(b.numel() for n, b in model.named_buffers() if not n.endswith('num_batches_tracked'))
    print(json.dumps({'directory': directory, 'parameters': len(list(model.parameters())), 'values': stored}))
