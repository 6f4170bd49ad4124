// The objective's building blocks in train.py, in Python: the reductions and terms (as
// runtime/objective computes them), a scheduled coefficient's value at an epoch (ir/schedule.ts) and
// a learning-rate schedule's rate (runtime/optim/lr-schedule.ts), so train.py trains on the
// numbers `ae train` uses.
export const OBJECTIVE_PY = String.raw`
def reduce(elementwise, mode):
    """mean: over every element; sum: over each sample's elements, averaged over the batch."""
    return elementwise.mean() if mode == 'mean' else elementwise.sum() / elementwise.shape[0]


def bce_with_logits(logits, target, mode):
    return reduce(F.relu(logits) - logits * target + torch.log1p(torch.exp(-logits.abs())), mode)


def bce(p, target, mode):
    p = p.clamp(1e-7, 1 - 1e-7)
    return reduce(-(target * torch.log(p) + (1 - target) * torch.log(1 - p)), mode)


def cross_entropy(log_probabilities, labels, mode):
    """Each sample's cross-entropy against its class index."""
    classes = log_probabilities.shape[-1]
    one_hot = F.one_hot(labels.reshape(-1).long(), classes).to(log_probabilities.dtype)
    return reduce(-(one_hot * log_probabilities.reshape(-1, classes)).sum(-1), mode)


def table_reconstruction(logits, target, widths, mode):
    """A table's reconstruction loss: per column, the squared error of a numeric one (standardised)
    and the cross-entropy of a categorical one's logits against its one-hot levels."""
    losses = []
    for column, expected, width in zip(logits.split(widths, -1), target.split(widths, -1), widths):
        losses.append(((column - expected) ** 2)[:, 0] if width == 1 else -(expected * torch.log_softmax(column, -1)).sum(-1))
    return reduce(torch.stack(losses, 1), mode)


def coefficient(schedule, epoch):
    """A scheduled coefficient at a phase's epoch (0-based), as aelang computes it (ir/schedule.ts)."""
    if schedule['kind'] == 'ramp':
        progress = epoch / schedule['epochs']
    else:
        progress = (epoch % schedule['period']) / schedule['period'] / schedule['ramp']
    return schedule['from'] + (schedule['to'] - schedule['from']) * min(progress, 1)


def epoch_rate(schedule, base, epoch, epochs):
    """The learning rate of a phase's epoch (0-based) under its lr schedule, as aelang computes it
    (runtime/optim/lr-schedule.ts): a linear warm-up, then cosine or step; plateau's rate after its
    warm-up is carried by plateau_step."""
    if epoch < schedule['warmup']:
        return base * (epoch + 1) / (schedule['warmup'] + 1)
    t = epoch - schedule['warmup']
    if schedule['kind'] == 'step':
        return base * math.pow(schedule['factor'], t // schedule['every'])
    span = max(1, epochs - schedule['warmup'])
    return schedule['min'] + (base - schedule['min']) * (1 + math.cos(math.pi * t / span)) / 2


def plateau_step(schedule, state, loss):
    """(lr, best, wait) after an epoch past the warm-up whose monitored loss is loss."""
    lr, best, wait = state
    if best is None or loss < best - schedule['minDelta']:
        return lr, loss, 0
    if wait + 1 < schedule['patience']:
        return lr, best, wait + 1
    return max(lr * schedule['factor'], schedule['min']), best, 0


def kl_sparsity(activations, rho, mode):
    rho_hat = activations.flatten(1).mean(0).clamp(1e-6, 1 - 1e-6)
    per_unit = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
    return per_unit.sum() if mode == 'sum' else per_unit.mean()
`;
