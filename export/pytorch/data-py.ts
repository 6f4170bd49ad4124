// The data readers of train.py, in Python: the `--data` arguments `ae` takes (CSV/TSV, NPY and IDX
// files, gzipped or not, with `csv:`/`npy:`/`idx:` to force a format) read and scaled into the
// input's declared range by the rule of runtime/data/dataset.ts (docs/data.md), so train.py sees the
// numbers `ae train` and `ae eval` see. Needs INPUT_RANGE and SAMPLE_SHAPE from the file around it.
export const DATA_PY = String.raw`
RANGE_TOLERANCE = 1e-6


class DataError(Exception):
    """Data that does not fit the model's input; the message names the file and the sample."""


def parse_source(text):
    """(format, path, settings) for a --data argument as ae reads it; labels are not used here."""
    forced = re.match(r'^(idx|npy|csv):(.+)$', text.strip())
    body = forced.group(2) if forced else text.strip()
    kind = forced.group(1) if forced else None
    if kind == 'csv' or (kind is None and re.search(r'\.[ct]sv(#|$)', body, re.IGNORECASE)):
        path, _, fragment = body.partition('#')
        settings = {}
        while fragment:
            match = re.match(r'^(label|delimiter)=(.+?)(?:,(?=(?:label|delimiter)=)|$)', fragment)
            if not match:
                raise DataError(f"'{body}': expected '#label=COLUMN', '#delimiter=C' or both after the CSV file")
            settings[match.group(1)] = match.group(2)
            fragment = fragment[match.end():]
        return 'csv', path, settings
    path = body.split(',')[0]  # data,labels: train.py's objectives use no labels
    return kind or sniff_format(path), path, {}


def sniff_format(path):
    lower = path.lower()
    if lower.endswith('.npy'):
        return 'npy'
    if lower.endswith(('.idx', '-ubyte', '.gz')) or re.search(r'\.idx\d', lower):
        return 'idx'
    with open(path, 'rb') as f:
        head = f.read(6)
    if head[:2] == b'\x1f\x8b' or head[:2] == b'\x00\x00':
        return 'idx'
    if head == b'\x93NUMPY':
        return 'npy'
    raise DataError(f'{path}: not an IDX, NPY or CSV file (name it npy:, idx: or csv:)')


def read_idx(path):
    opener = gzip.open if open(path, 'rb').read(2) == b'\x1f\x8b' else open
    with opener(path, 'rb') as f:
        data = f.read()
    kind, rank = data[2], data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], 'big') for i in range(rank)]
    dtypes = {0x08: np.uint8, 0x09: np.int8, 0x0B: '>i2', 0x0C: '>i4', 0x0D: '>f4', 0x0E: '>f8'}
    return np.frombuffer(data, dtype=dtypes[kind], offset=4 + 4 * rank).reshape(dims)


def is_name(field):
    """A header field: not a number (NaN and Infinity count as numbers)."""
    try:
        float(field)
        return False
    except ValueError:
        return True


def read_csv(path, settings):
    delimiter = settings.get('delimiter') or ('\t' if path.lower().endswith('.tsv') else ',')
    delimiter = '\t' if delimiter == 'tab' else delimiter
    with open(path, newline='', encoding='utf-8-sig') as f:
        records = [[field.strip() for field in row] for row in csv.reader(f, delimiter=delimiter)]
    numbered = [(line + 1, row) for line, row in enumerate(records) if row and any(field != '' for field in row)]
    header = None
    if numbered and all(field == '' or is_name(field) for field in numbered[0][1]) and any(is_name(field) for field in numbered[0][1]):
        header = numbered.pop(0)[1]
    label = settings.get('label')
    drop = None
    if label is not None:
        drop = header.index(label) if header and label in header else int(label) if label.isdigit() else None
        if drop is None:
            raise DataError(f"{path}: no column '{label}'")
    rows = []
    for line, row in numbered:
        fields = [field for index, field in enumerate(row) if index != drop]
        try:
            rows.append([float(field) for field in fields])
        except ValueError:
            raise DataError(f'{path}:{line}: a value is not a number') from None
        if len(rows[-1]) != len(rows[0]):
            raise DataError(f'{path}:{line}: {len(rows[-1])} values, the first row has {len(rows[0])}')
    # ae reads CSV values as float32 before it checks and scales them
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)


def read_source(text, limit=None):
    """Samples of a --data argument as ae reads them: [n, *SAMPLE_SHAPE] float32 in the input's range."""
    kind, path, settings = parse_source(text)
    raw = read_csv(path, settings) if kind == 'csv' else read_idx(path) if kind == 'idx' else np.load(path, mmap_mode='r')
    if limit:
        raw = raw[:limit]
    if len(raw) == 0:
        raise DataError(f'{path}: holds no samples; training and evaluation need at least one')
    return scale(np.asarray(raw), path).reshape(len(raw), *[-1 if d is None else d for d in SAMPLE_SHAPE])


def scale(raw, name):
    """docs/data.md's rule: 8-bit data maps 0..255 onto the range; other values must lie in it, or be
    integers within 0..255 (raw pixels), which map as 8-bit data do."""
    flat = raw.reshape(len(raw), -1)
    expected = int(np.prod([d for d in SAMPLE_SHAPE if d is not None]))
    if flat.shape[1] % expected or (None not in SAMPLE_SHAPE and flat.shape[1] != expected):
        raise DataError(f'{name}: a sample holds {flat.shape[1]} values; the input expects {SAMPLE_SHAPE}')
    low, high = INPUT_RANGE or (0, 1)
    pixels = lambda v: (low + v.astype(np.float64) * ((high - low) / 255)).astype(np.float32)
    if raw.dtype == np.uint8:
        return pixels(flat)
    values = flat.astype(np.float64)
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        sample, index = bad[0]
        raise DataError(f'{name}: sample {sample + 1} holds {values[sample, index]} (value {index + 1} of {values.shape[1]}); the data must be finite')
    if INPUT_RANGE is None or (values.min() >= low - RANGE_TOLERANCE and values.max() <= high + RANGE_TOLERANCE):
        return values.astype(np.float32)
    if values.min() >= 0 and values.max() <= 255 and np.all(values == np.round(values)):
        return pixels(values)
    raise DataError(f'{name}: values from {values.min()} to {values.max()} lie outside the input range [{low}, {high}]; rescale the data or declare its range')
`;
