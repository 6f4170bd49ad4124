"""The PyTorch peer of bench/families.ts: trains the same model on the same data and reports the
same figures, computed the same way.

    /usr/bin/python3 bench/families_peer.py WORKDIR --threads N [--seed S] [--replay]

WORKDIR (written by families.ts) holds model.ir.json (aelang's IR: the architecture, the objective
and the phases, with epochs and batch already set), init/<parameter>.npy (aelang's initial weights,
so both sides start from the same point), and train_x.npy, test_x.npy (and *_y.npy for labels).
The IR is interpreted node by node with torch ops (NHWC tensors, as aelang's; convolutions permute
to NCHW around the torch call), so the architecture cannot drift from the .ae file. Printed: one
JSON line with the metrics.

What this peer does as aelang's runtime does, on purpose (each is a choice of the model, not of the
framework): Adam with epsilon 1e-7 and decoupled weight decay on kernels and codebooks; bce from
the logits where aelang's IR says `fromLogits`; greedy pretraining as ir/plan.ts plans it
(layer l > 0 reconstructs its clean input code with mse, the code computed in inference mode, and
reads it through the model's corruption chain less its clips, as Vincent et al. 2010 do); a VQ
codebook initialised by k-means++ on the first batch and dead codes restarted every 50 steps
(runtime/program/ops/vq-codebook.ts). What differs: the shuffling order and the noise draws (each
side's own generator), and the kernels.

With --replay (bench/lockstep.ts) the peer takes aelang's batch order of every epoch
(replay_orders.npy) and aelang's reparameterisation draws (replay_noise.npy) instead of its own, and
prints the loss of every step too: the two sides then do the same arithmetic, step by step.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

EPSILON = 1e-7
RESTART_WINDOW = 50


def activation(x, spec):
    fn = spec["fn"]
    if fn == "linear":
        return x
    if fn == "relu":
        return F.relu(x)
    if fn == "tanh":
        return torch.tanh(x)
    if fn == "sigmoid":
        return torch.sigmoid(x)
    if fn == "leaky_relu":
        return F.leaky_relu(x, spec.get("alpha", 0.2))
    if fn == "elu":
        return F.elu(x)
    if fn == "gelu":
        return F.gelu(x)
    if fn == "softplus":
        return F.softplus(x)
    if fn == "softmax":
        return torch.softmax(x, -1)
    raise ValueError(f"activation {fn}")


def nchw(x):
    return x.permute(0, 3, 1, 2)


def nhwc(x):
    return x.permute(0, 2, 3, 1)


class Codebook:
    """k-means++ initialisation from the first training batch and dead-code restarts, as aelang."""

    def __init__(self, weight, generator):
        self.weight = weight
        self.hits = torch.zeros(weight.shape[0])
        self.steps = 0
        self.initialised = False
        self.generator = generator

    def prepare(self, flat):
        if self.initialised:
            return
        self.initialised = True
        codes = self.weight.shape[0]
        if self.weight.detach().abs().max() > 1 / codes + 1e-7:
            return
        vectors = flat.detach()[torch.randperm(flat.shape[0], generator=self.generator)[:4096]]
        centres = torch.empty_like(self.weight)
        nearest = torch.full((vectors.shape[0],), float("inf"))
        chosen = int(torch.randint(vectors.shape[0], (1,), generator=self.generator))
        for c in range(codes):
            centres[c] = vectors[chosen]
            nearest = torch.minimum(nearest, ((vectors - centres[c]) ** 2).sum(1))
            total = nearest.sum()
            if total <= 0:
                chosen = int(torch.randint(vectors.shape[0], (1,), generator=self.generator))
            else:
                chosen = int(torch.multinomial(nearest / total, 1, generator=self.generator))
        with torch.no_grad():
            self.weight.copy_(centres)

    def restart(self, flat, codes):
        self.hits += torch.bincount(codes, minlength=self.weight.shape[0]).float()
        self.steps += 1
        if self.steps < RESTART_WINDOW:
            return
        dead = (self.hits == 0).nonzero().flatten()
        self.hits.zero_()
        self.steps = 0
        if len(dead) == 0:
            return
        order = torch.randperm(flat.shape[0], generator=self.generator)
        with torch.no_grad():
            for i, code in enumerate(dead.tolist()):
                self.weight[code] = flat[order[i % flat.shape[0]]].detach()
                if i >= flat.shape[0]:
                    self.weight[code] += 1e-3 * torch.randn(self.weight.shape[1], generator=self.generator)


class Program:
    def __init__(self, ir, init_dir, seed):
        self.ir = ir
        self.nodes = {n["id"]: n for n in ir["nodes"]}
        self.params_by_id = {p["id"]: p for p in ir["parameters"]}
        self.storage = {}
        for p in ir["parameters"]:
            if "tiedTo" not in p:
                value = torch.from_numpy(np.load(os.path.join(init_dir, p["id"] + ".npy")).astype(np.float32))
                self.storage[p["id"]] = torch.nn.Parameter(value, requires_grad=p["trainable"])
        self.generator = torch.Generator().manual_seed(seed)
        self.codebooks = {}
        # With --replay: aelang's reparameterisation draws, consumed in the order aelang drew them.
        self.replayed_noise = None
        self.noise_used = 0

    def standard_normal(self, shape):
        if self.replayed_noise is None:
            return torch.randn(shape, generator=self.generator)
        count = int(np.prod(shape))
        if self.noise_used + count > len(self.replayed_noise):
            raise ValueError("the replayed noise ran out: aelang drew fewer values than this run asks for")
        values = self.replayed_noise[self.noise_used : self.noise_used + count]
        self.noise_used += count
        return torch.from_numpy(values.reshape(shape))

    def storage_id(self, pid):
        p = self.params_by_id[pid]
        return p.get("tiedTo", pid)

    def param(self, node, role):
        pid = node["params"][role]
        p = self.params_by_id[pid]
        value = self.storage[self.storage_id(pid)]
        return value.t() if p.get("tiedTo") and p.get("transpose") else value

    def has(self, node, role):
        return role in (node.get("params") or {})

    def forward(self, inputs, training, nodes=None, given=None, rename=None):
        out = dict(inputs)
        out.update(given or {})
        for node in nodes if nodes is not None else self.ir["nodes"]:
            args = [out[(rename or {}).get(i, i)] for i in node["inputs"]]
            out[node["id"]] = self.op(node, args, training, out)
        return out

    def with_activation(self, node, linear, out):
        spec = node["attrs"]["activation"]
        if spec["fn"] in ("sigmoid", "softmax"):
            out[node["id"] + ":preactivation"] = linear
        return activation(linear, spec)

    def op(self, node, args, training, out):
        op, a = node["op"], node["attrs"]
        x = args[0] if args else None
        if op == "dense":
            y = x @ self.param(node, "kernel")
            if self.has(node, "bias"):
                y = y + self.param(node, "bias")
            return self.with_activation(node, y, out)
        if op in ("conv2d", "deconv2d"):
            kh, kw = a["kernel"]
            if a["stride"] != [1, 1] or a["padding"] != "same" or kh % 2 == 0 or kw % 2 == 0:
                raise ValueError(f"{node['id']}: the peer supports stride-1 'same' odd kernels only")
            weight = self.param(node, "kernel").permute(3, 2, 0, 1)  # [kh,kw,a,b] -> [b,a,kh,kw]
            bias = self.param(node, "bias") if self.has(node, "bias") else None
            if op == "conv2d":
                y = F.conv2d(nchw(x), weight, bias, padding=(kh // 2, kw // 2))
            else:
                y = F.conv_transpose2d(nchw(x), weight, bias, padding=(kh // 2, kw // 2))
            return self.with_activation(node, nhwc(y), out)
        if op == "maxpool":
            if a["padding"] != "valid" or a["pool"] != a["stride"]:
                raise ValueError(f"{node['id']}: the peer supports non-overlapping 'valid' pools only")
            y, idx = F.max_pool2d(nchw(x), a["pool"], a["stride"], return_indices=True)
            out[node["id"] + ":switches"] = (idx, x.shape)
            return nhwc(y)
        if op == "unpool":
            if a["mode"] == "switches":
                idx, shape = out[a["switchesFrom"] + ":switches"]
                return nhwc(F.max_unpool2d(nchw(x), idx, a["pool"], output_size=(shape[1], shape[2])))
            return nhwc(F.interpolate(nchw(x), scale_factor=tuple(a["pool"]), mode="nearest"))
        if op == "upsample":
            return nhwc(F.interpolate(nchw(x), scale_factor=tuple(a["factor"]), mode="nearest"))
        if op == "flatten":
            return x.reshape(x.shape[0], -1)
        if op == "reshape":
            return x.reshape(x.shape[0], *a["target"])
        if op == "dropout":
            return F.dropout(x, a["rate"], training)
        if op == "activation":
            if a["fn"] in ("sigmoid", "softmax"):
                out[node["id"] + ":preactivation"] = x
            return activation(x, a)
        if op == "gaussian_sample":
            mean, logvar = args
            if not training:
                return mean
            return mean + torch.exp(0.5 * logvar) * self.standard_normal(tuple(mean.shape))
        if op == "vector_quantize":
            codebook = self.param(node, "codebook")
            keeper = self.codebooks.setdefault(node["id"], Codebook(codebook, self.generator))
            flat = x.reshape(-1, a["dim"])
            if training:
                keeper.prepare(flat)
            distances = (flat ** 2).sum(1, keepdim=True) - 2 * flat @ codebook.t() + (codebook ** 2).sum(1)[None]
            codes = distances.argmin(1)
            quantized = codebook[codes].reshape(x.shape)
            if training:
                keeper.restart(flat, codes)
            out[node["id"] + ":codes"] = codes.reshape(x.shape[:-1])
            out[node["id"] + ":quantized"] = quantized
            return x + (quantized - x).detach() if training else quantized
        if op == "binarize":
            if not training:
                return (x > 0).float()
            p = torch.sigmoid(x)
            bits = (p > torch.rand(p.shape, generator=self.generator)).float() if a["stochastic"] else (x > 0).float()
            return p + (bits - p).detach()
        if op == "gumbel_onehot":
            classes = x.shape[-1]
            if not training:
                return F.one_hot(x.argmax(-1), classes).float()
            u = torch.rand(x.shape, generator=self.generator) * (1 - 1e-10) + 1e-10
            soft = torch.softmax((x - torch.log(-torch.log(u))) / a["temperature"], -1)
            if not a["hard"]:
                return soft
            hard = F.one_hot(soft.argmax(-1), classes).float()
            return soft + (hard - soft).detach()
        if op == "corrupt_gaussian":
            return x + a["std"] * torch.randn(x.shape, generator=self.generator) if training else x
        if op == "corrupt_mask":
            return x * (torch.rand(x.shape, generator=self.generator) >= a["rate"]).float() if training else x
        if op == "corrupt_salt_pepper":
            if not training:
                return x
            u = torch.rand(x.shape, generator=self.generator)
            x = torch.where(u < a["rate"] / 2, torch.full_like(x, a["low"]), x)
            return torch.where((u >= a["rate"] / 2) & (u < a["rate"]), torch.full_like(x, a["high"]), x)
        if op == "corrupt_dropout":
            return F.dropout(x, a["rate"], training)
        if op == "clip":
            return x.clamp(a["low"], a["high"]) if training else x
        raise ValueError(f"the peer has no op {op}")


def value(name, ir, out):
    if name in out:
        return out[name]
    return out.get(ir["outputs"]["named"].get(name, ""), out.get(ir["outputs"]["heads"].get(name, "")))


def logits_of(node_id, out):
    return out.get(node_id + ":preactivation", out[node_id])


def reduce(elementwise, mode):
    if mode == "mean":
        return elementwise.mean()
    return elementwise.sum() / (elementwise.shape[0] if elementwise.dim() > 0 else 1)


def term_value(term, program, out):
    ir, fn, o = program.ir, term["fn"], term["options"]
    args = [value(a, ir, out) for a in term["args"]]
    if fn == "mse":
        return reduce((args[0] - args[1]) ** 2, o["reduce"])
    if fn == "l1":
        return reduce(args[0].abs(), o["reduce"])
    if fn == "l2":
        return reduce(args[0] ** 2, o["reduce"])
    if fn == "bce":
        target = args[1]
        if "fromLogits" in o:
            l = logits_of(o["fromLogits"], out)
            return reduce(F.relu(l) - l * target + torch.log1p(torch.exp(-l.abs())), o["reduce"])
        p = args[0].clamp(EPSILON, 1 - EPSILON)
        return reduce(-(target * torch.log(p) + (1 - target) * torch.log(1 - p)), o["reduce"])
    if fn == "cross_entropy":
        labels = args[1].long().reshape(-1)
        if "fromLogits" in o:
            logp = torch.log_softmax(logits_of(o["fromLogits"], out), -1)
        else:
            logp = torch.log(args[0].clamp(EPSILON, 1))
        return reduce(-logp.gather(1, labels[:, None])[:, 0], o["reduce"])
    if fn == "kl":
        mean, logvar = out[o["mean"]], out[o["logvar"]]
        return reduce(-0.5 * (1 + logvar - mean ** 2 - torch.exp(logvar)), o["reduce"])
    if fn == "kl_sparsity":
        rho = o["rho"]
        rho_hat = args[0].reshape(args[0].shape[0], -1).mean(0).clamp(1e-6, 1 - 1e-6)
        per_unit = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
        return per_unit.sum() if o["reduce"] == "sum" else per_unit.mean()
    if fn == "vq_loss":
        node = program.nodes[term["args"][0]]
        encoded = out[node["inputs"][0]]
        quantized = out[node["id"] + ":quantized"]
        return reduce((encoded.detach() - quantized) ** 2, o["reduce"]) + o["commitment"] * reduce((encoded - quantized.detach()) ** 2, o["reduce"])
    if fn == "contractive":
        # One dense layer between the input and the code: sum_j f'(a_j)^2 sum_i W_ij^2 (Rifai et al.).
        node = program.nodes[term["args"][0]]
        source = node["inputs"][0]
        while source in program.nodes and program.nodes[source]["op"] in ("flatten", "reshape", "corrupt_gaussian", "corrupt_mask", "clip"):
            source = program.nodes[source]["inputs"][0]
        if node["op"] != "dense" or source != term["args"][1]:
            raise ValueError("the peer's contractive term takes one dense layer from the input")
        h = out[node["id"]]
        fn_name = node["attrs"]["activation"]["fn"]
        slope = {"sigmoid": h * (1 - h), "tanh": 1 - h ** 2, "relu": (h > 0).float(), "linear": torch.ones_like(h)}[fn_name]
        kernel = program.param(node, "kernel")
        per_sample = (slope ** 2 * (kernel ** 2).sum(0)).sum(1)
        # `mean` averages over the Jacobian's entries (inputs × code units), as aelang does.
        return per_sample.mean() if o["reduce"] == "sum" else per_sample.mean() / kernel.numel()
    if fn == "weight_decay":
        kernels = [p for p in program.ir["parameters"] if p["role"] == "kernel" and p["trainable"] and "tiedTo" not in p]
        total = sum((program.storage[p["id"]] ** 2).sum() for p in kernels)
        return total if o["reduce"] == "sum" else total / sum(int(np.prod(p["shape"])) for p in kernels)
    raise ValueError(f"the peer has no term {fn}")


def objective(terms, program, out):
    return sum(t["weight"] * term_value(t, program, out) for t in terms)


def stages(ir):
    """runtime/train/stages.ts, in Python: one stage per phase, one per encoder layer when greedy."""
    planned = []
    for phase in ir["phases"]:
        objective_terms = phase["objective"] or ir["objective"]
        frozen = {n["id"] for n in ir["nodes"] if n["stage"] in phase["freeze"] or n.get("name") in phase["freeze"] or n["id"] in phase["freeze"]}
        if (phase.get("schedule") or {}).get("kind") == "greedy":
            enc = lambda n: n["stage"] in ("encoder", "latent")
            count = max(n["layer"] for n in ir["nodes"] if enc(n) and "layer" in n) + 1
            corrupt = [n for n in ir["nodes"] if n["stage"] == "corrupt"]
            noise, clip_skips = corruption_chain(ir, corrupt)
            for layer in range(count):
                enc_side = [n for n in ir["nodes"] if enc(n) and n.get("layer") == layer]
                dec_side = [n for n in ir["nodes"] if n["stage"] == "decoder" and n.get("layer") == layer]
                prefix = [] if layer == 0 else corrupt + [n for n in ir["nodes"] if enc(n) and "layer" in n and n["layer"] < layer]
                code_id = None if layer == 0 else enc_side[0]["inputs"][0]
                chosen = corrupt + enc_side + dec_side + [n for n in ir["nodes"] if n["stage"] == "output"] if layer == 0 else noise + enc_side + dec_side
                ids = {n["id"] for n in chosen}
                nodes = [n for n in ir["nodes"] if n["id"] in ids]
                rename = {} if dec_side[0]["inputs"][0] == enc_side[-1]["id"] else {dec_side[0]["inputs"][0]: enc_side[-1]["id"]}
                if layer > 0 and noise:
                    rename.update({c: code_id if to == ir["outputs"]["target"] else to for c, to in clip_skips.items()})
                    rename[ir["outputs"]["target"]] = code_id
                    rename[code_id] = noise[-1]["id"]
                if layer == 0:
                    computed = {i["name"] for i in ir["inputs"]} | ids
                    reads = lambda t: t["args"] + [t["options"][k] for k in ("fromLogits", "mean", "logvar") if k in t["options"]]
                    terms = [t for t in objective_terms if all(r in computed or ir["outputs"]["named"].get(r) in computed for r in reads(t))]
                else:
                    terms = [{"fn": "mse", "weight": 1, "args": [dec_side[-1]["id"], code_id], "options": {"reduce": "mean"}}]
                planned.append(dict(phase=phase, epochs=phase["schedule"]["epochs"], objective=terms, nodes=nodes, prefix=prefix, code_id=code_id, rename=rename))
        else:
            nodes = [n for n in ir["nodes"] if n["id"] not in frozen]
            planned.append(dict(phase=phase, epochs=phase["epochs"], objective=objective_terms, nodes=None, trainable_nodes=nodes))
    return planned


def corruption_chain(ir, corrupt):
    """ir/plan.ts's corruptionChain: the target input's corruption chain less its clips (which bound the
    input's range, not a code's), and each clip a noise node reads, to what that clip reads."""
    by_id = {n["id"]: n for n in corrupt}

    def root(n):
        read = n["inputs"][0]
        return root(by_id[read]) if read in by_id else read

    chain = [n for n in corrupt if root(n) == ir["outputs"]["target"]]
    clip_reads = {n["id"]: n["inputs"][0] for n in chain if n["op"] == "clip"}

    def past(i):
        return past(clip_reads[i]) if i in clip_reads else i

    noise = [n for n in chain if n["op"] != "clip"]
    return noise, {n["inputs"][0]: past(n["inputs"][0]) for n in noise if n["inputs"][0] in clip_reads}


def trainable(program, nodes, frozen_ids=()):
    ids = []
    for node in nodes:
        for pid in (node.get("params") or {}).values():
            sid = program.storage_id(pid)
            if program.params_by_id[sid]["trainable"] and sid not in ids:
                ids.append(sid)
    return ids


def optimizer_for(program, ids, spec):
    decayed = [program.storage[i] for i in ids if program.params_by_id[i]["role"] in ("kernel", "codebook")]
    plain = [program.storage[i] for i in ids if program.params_by_id[i]["role"] not in ("kernel", "codebook")]
    groups = [{"params": decayed, "weight_decay": spec.get("weightDecay", 0)}, {"params": plain, "weight_decay": 0}]
    if spec["kind"] != "adam":
        raise ValueError("the peer trains with adam only")
    return torch.optim.AdamW(groups, lr=spec["lr"], betas=(spec["beta1"], spec["beta2"]), eps=spec["epsilon"])


def batch_inputs(ir, x, y, index):
    data = next(i for i in ir["inputs"] if i["kind"] == "tensor")
    inputs = {data["name"]: torch.from_numpy(x[index])}
    labels = [i for i in ir["inputs"] if i["kind"] == "label"]
    if labels and y is not None:
        inputs[labels[0]["name"]] = torch.from_numpy(y[index].astype(np.int64))
    return inputs


def train(program, train_x, train_y, seed, orders=None):
    """Trains every stage; returns the mean training loss of the last epoch (per sample, as aelang's
    metrics.jsonl `loss`) and the loss of every step. `orders`: each epoch's sample order (--replay);
    else the peer shuffles with its own generator."""
    ir = program.ir
    last_epoch_loss = float("nan")
    step_losses = []
    order_rng = np.random.default_rng(seed)
    epochs_run = 0
    for stage in stages(ir):
        phase = stage["phase"]
        ids = trainable(program, stage["nodes"] if stage["nodes"] is not None else stage["trainable_nodes"])
        opt = optimizer_for(program, ids, phase["optimizer"])
        batch = phase["batch"]
        for _ in range(stage["epochs"]):
            order = order_rng.permutation(len(train_x)) if orders is None else orders[epochs_run]
            epochs_run += 1
            loss_sum = 0.0
            for start in range(0, len(order), batch):
                inputs = batch_inputs(ir, train_x, train_y, order[start : start + batch])
                given = None
                if stage["nodes"] is not None and stage["code_id"] is not None:
                    with torch.no_grad():
                        given = {stage["code_id"]: program.forward(inputs, False, nodes=stage["prefix"])[stage["code_id"]]}
                out = program.forward(inputs, True, nodes=stage["nodes"], given=given, rename=stage.get("rename"))
                loss = objective(stage["objective"], program, out)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step_losses.append(float(loss))
                loss_sum += step_losses[-1] * len(order[start : start + batch])
            last_epoch_loss = loss_sum / len(order)
    return last_epoch_loss, step_losses


def evaluate(program, test_x, test_y, eval_objective, seed):
    ir = program.ir
    rec, target = ir["outputs"]["reconstruction"], ir["outputs"]["target"]
    latent = program.nodes.get(ir["outputs"]["latent"])
    named = [n for n, i in ir["outputs"]["named"].items() if i == rec]
    likelihood = [t for t in eval_objective if t["fn"] in ("mse", "bce") and (t["args"][0] == rec or t["args"][0] in named)]
    decoding = [n for n in ir["nodes"] if n["stage"] in ("decoder", "output")]
    squared = elements = loss = nelbo = nelbo_sampled = 0.0
    heads = {name: {"correct": 0, "loss": 0.0} for name in ir["outputs"]["heads"]} if test_y is not None else {}
    hits = torch.zeros(latent["attrs"]["codes"]) if latent and latent["op"] == "vector_quantize" else None
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for start in range(0, len(test_x), 256):
            index = np.arange(start, min(start + 256, len(test_x)))
            inputs = batch_inputs(ir, test_x, test_y, index)
            out = program.forward(inputs, False)
            size = len(index)
            diff = (out[rec] - out[target]) ** 2
            squared += float(diff.sum())
            elements += diff.numel()
            loss += float(objective(eval_objective, program, out)) * size
            for name, node_id in ir["outputs"]["heads"].items():
                if name not in heads:
                    continue
                node = program.nodes[node_id]
                scores = out[node_id]
                labels = inputs[next(i["name"] for i in ir["inputs"] if i["kind"] == "label")]
                softmax = (node["op"] == "activation" and node["attrs"]["fn"] == "softmax") or node["attrs"].get("activation", {}).get("fn") == "softmax"
                logp = torch.log(scores.clamp(EPSILON, 1)) if softmax else torch.log_softmax(scores, -1)
                heads[name]["correct"] += int((scores.argmax(-1) == labels).sum())
                heads[name]["loss"] -= float(logp.gather(1, labels[:, None]).sum())
            if latent is not None and latent["op"] == "gaussian_sample" and likelihood:
                mean, logvar = out[latent["inputs"][0]], out[latent["inputs"][1]]
                kl = float((-0.5 * (1 + logvar - mean ** 2 - torch.exp(logvar))).sum())
                nelbo += float(objective(likelihood, program, out)) * size + kl
                z = mean + torch.exp(0.5 * logvar) * torch.randn(mean.shape, generator=generator)
                given = dict(out)
                given[latent["id"]] = z
                sampled = program.forward(inputs, False, nodes=decoding, given=given)
                nelbo_sampled += float(objective(likelihood, program, sampled)) * size + kl
            if hits is not None:
                hits += torch.bincount(out[latent["id"] + ":codes"].reshape(-1), minlength=len(hits)).float()
    n = len(test_x)
    result = {"samples": n, "loss": loss / n, "mse": squared / elements, "pixels": elements // n}
    if heads:
        result["heads"] = {name: {"accuracy": h["correct"] / n, "loss": h["loss"] / n} for name, h in heads.items()}
    if latent is not None and latent["op"] == "gaussian_sample" and likelihood:
        result["nelbo"] = nelbo / n
        result["nelbo_sampled"] = nelbo_sampled / n
    if hits is not None:
        p = hits / hits.sum()
        entropy = float(-(p[p > 0] * torch.log(p[p > 0])).sum())
        result["codebook"] = {"perplexity": math.exp(entropy), "used": int((hits > 0).sum()), "size": len(hits)}
    return result


def load_optional(path):
    return np.load(path) if os.path.exists(path) else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replay", action="store_true", help="train on aelang's batch orders and noise (replay_orders.npy, replay_noise.npy)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    with open(os.path.join(args.workdir, "model.ir.json")) as f:
        ir = json.load(f)
    train_x = np.load(os.path.join(args.workdir, "train_x.npy")).astype(np.float32)
    test_x = np.load(os.path.join(args.workdir, "test_x.npy")).astype(np.float32)
    train_y = load_optional(os.path.join(args.workdir, "train_y.npy"))
    test_y = load_optional(os.path.join(args.workdir, "test_y.npy"))
    program = Program(ir, os.path.join(args.workdir, "init"), args.seed)
    started = time.perf_counter()
    orders = None
    if args.replay:
        orders = np.load(os.path.join(args.workdir, "replay_orders.npy")).astype(np.int64)
        program.replayed_noise = np.load(os.path.join(args.workdir, "replay_noise.npy")).astype(np.float32).reshape(-1)
    train_loss, step_losses = train(program, train_x, train_y, args.seed, orders)
    if args.replay and program.noise_used != len(program.replayed_noise):
        raise ValueError(f"aelang drew {len(program.replayed_noise)} noise values, this run used {program.noise_used}")
    seconds = time.perf_counter() - started
    eval_objective = ir["objective"] or ir["phases"][-1]["objective"]
    result = evaluate(program, test_x, test_y, eval_objective, args.seed)
    result["train_seconds"] = seconds
    result["train_loss"] = train_loss
    if args.replay:
        result["step_losses"] = step_losses
    print(json.dumps(result))


def describe():
    # Debian's torch links the generic libblas.so.3, which the alternatives system points at a BLAS
    # implementation: name the library actually mapped after a product has run.
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as maps:
        libraries = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in maps if "blas" in line.lower() and "/" in line})
    return f"torch {torch.__version__}, BLAS {', '.join(libraries) or 'unknown'}, {torch.get_num_threads()} thread(s)"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--describe":
        torch.set_num_threads(int(sys.argv[2]))
        print(describe())
    else:
        main()
