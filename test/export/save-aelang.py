# PyTorch's side of the recurrent round trip: for each export directory given, loads model.py with
# its weights (PyTorch's gate order), writes them back in aelang's ids and layouts with save_aelang
# (back.safetensors: Keras's gate order), and runs the model loaded from that file on input.npy
# (back-reconstruction.npy, back-code.npy), so the way back is checked by its outputs too. Then the
# same for a module with PyTorch's own initialisation (fresh.safetensors; its outputs in memory as
# fresh-reconstruction.npy, fresh-code.npy): there the LSTM's recurrent bias is not zero.
import importlib.util
import sys

import numpy as np
import torch

for directory in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location(f'model_{abs(hash(directory))}', f'{directory}/model.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.save_aelang(module.load(), f'{directory}/back.safetensors')
    model = module.load(f'{directory}/back.safetensors')
    x = torch.from_numpy(np.load(f'{directory}/input.npy'))
    torch.manual_seed(1)
    fresh = type(model)().eval()
    module.save_aelang(fresh, f'{directory}/fresh.safetensors')
    with torch.no_grad():
        for name, net in (('back', model), ('fresh', fresh)):
            np.save(f'{directory}/{name}-reconstruction.npy', net(x).contiguous().numpy())
            np.save(f'{directory}/{name}-code.npy', net.encode(x).contiguous().numpy())
