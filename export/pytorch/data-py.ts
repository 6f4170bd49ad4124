// The data readers of train.py, in Python: the `--data` arguments `ae` takes (CSV/TSV, NPY and IDX
// files, gzipped or not, with `csv:`/`npy:`/`idx:` to force a format) read and scaled into the
// input's declared range by the rule of runtime/data/dataset.ts (docs/data.md), so train.py sees the
// numbers `ae train` and `ae eval` see; the labels a conditional model reads (a CSV's label column,
// `data.npy,labels.npy`, `images.idx,labels.idx`) checked as runtime/data/dataset.ts checks them; a
// table's rows read by column name and encoded as runtime/data/table.ts encodes them. Needs
// INPUT_RANGE, SAMPLE_SHAPE, LABEL_CLASSES and TABLE_COLUMNS from the file around it.
export const DATA_PY = String.raw`
RANGE_TOLERANCE = 1e-6


class DataError(Exception):
    """Data that does not fit the model's input; the message names the file and the sample."""


def parse_source(text):
    """(format, path, settings) for a --data argument as ae reads it; settings['labels'] is the
    labels file after a comma (data.npy,labels.npy; images.idx,labels.idx)."""
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
    path, _, labels = body.partition(',')
    return kind or sniff_format(path), path, {'labels': labels} if labels else {}


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
    labels = []
    if label is not None:
        drop = header.index(label) if header and label in header else int(label) if label.isdigit() else None
        if drop is None:
            raise DataError(f"{path}: no column '{label}'")
    rows = []
    for line, row in numbered:
        fields = [field for index, field in enumerate(row) if index != drop]
        if drop is not None:
            labels.append(js_number(row[drop]) if drop < len(row) else None)
        try:
            rows.append([float(field) for field in fields])
        except ValueError:
            raise DataError(f'{path}:{line}: a value is not a number') from None
        if len(rows[-1]) != len(rows[0]):
            raise DataError(f'{path}:{line}: {len(rows[-1])} values, the first row has {len(rows[0])}')
    # ae reads CSV values as float32 before it checks and scales them
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), -1), (labels if drop is not None else None)


def read_source(text, limit=None):
    """Samples of a --data argument as ae reads them: [n, *SAMPLE_SHAPE] float32 in the input's range."""
    return read_samples(text, limit)[0]


def read_samples(text, limit=None, labelled=False, table=None):
    """(samples, labels, table encoding) of a --data argument: labels (int64 class indices) when
    labelled, else None; a table model's rows encoded with table (fitted on them when None)."""
    kind, path, settings = parse_source(text)
    if TABLE_COLUMNS is not None:
        if kind != 'csv':
            raise DataError(f"{path}: the input is a table: its rows are read by column name from a CSV file, not from {kind} data")
        x, table = read_table(path, settings, limit, table)
        return x, None, table
    labels = None
    if kind == 'csv':
        raw, labels = read_csv(path, settings)
    else:
        raw = read_idx(path) if kind == 'idx' else np.load(path, mmap_mode='r')
        if settings.get('labels'):
            labels = read_idx(settings['labels']) if sniff_format(settings['labels']) == 'idx' else np.load(settings['labels'])
            labels = list(np.asarray(labels).reshape(-1))
    total = len(raw)
    if limit:
        raw = raw[:limit]
    if len(raw) == 0:
        raise DataError(f'{path}: holds no samples; training and evaluation need at least one')
    x = scale(np.asarray(raw), path).reshape(len(raw), *[-1 if d is None else d for d in SAMPLE_SHAPE])
    if not labelled:
        return x, None, table
    if labels is None:
        raise DataError(f"{path} has no labels, but input '{next(iter(LABEL_CLASSES))}' needs them (data.csv#label=COLUMN, data.npy,labels.npy or images.idx,labels.idx)")
    return x, check_labels(labels, total, len(x), settings.get('labels') or path), table


def check_labels(labels, total, count, name):
    """Class indices below the label input's class count, one per sample (runtime/data/dataset.ts)."""
    if len(labels) != total:
        raise DataError(f'{name}: holds {len(labels)} labels but the data holds {total} samples')
    (input_name, classes), = LABEL_CLASSES.items()
    out = np.zeros(count, dtype=np.int64)
    for i in range(count):
        label = labels[i]
        if label is None or not float(label).is_integer() or label < 0:
            raise DataError(f'{name}: label {i + 1} is {label}; labels are class indices 0, 1, 2, ...')
        if label >= classes:
            raise DataError(f"{name}: label {i + 1} is {int(label)} but input '{input_name}' has {classes} classes (0..{classes - 1})")
        out[i] = int(label)
    return out


def js_number(field):
    """A field as JavaScript's Number() reads it (ae parses fields so), None where that gives no
    finite number."""
    text = field.strip()
    if re.fullmatch(r'[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?', text):
        value = float(text)
    elif re.fullmatch(r'0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+', text):
        value = float(int(text, 0))
    else:
        return None
    return value if np.isfinite(value) else None


def read_table(path, settings, limit, table):
    """A table's rows by column name, encoded (runtime/data/table.ts): numeric columns (v - mean) /
    std, categorical ones one-hot over their levels; the encoding fitted on these rows when None."""
    delimiter = settings.get('delimiter') or ('\t' if path.lower().endswith('.tsv') else ',')
    delimiter = '\t' if delimiter == 'tab' else delimiter
    with open(path, newline='', encoding='utf-8-sig') as f:
        reader = csv.reader(f, delimiter=delimiter)
        records = []
        start = 1
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    if not records or all(field.strip() == '' for field in records[0][1]):
        raise DataError(f'{path}: no header row naming the columns')
    header = [name.strip() for name in records[0][1]]
    at = []
    for column in TABLE_COLUMNS:
        if column['name'] not in header:
            raise DataError(f"{path}: no column '{column['name']}' in the header (it has {', '.join(repr(h) for h in header)})")
        at.append(header.index(column['name']))
    rows, lines = [], []
    for line, record in records[1:]:
        if len(record) == 0 or (len(record) == 1 and record[0].strip() == ''):
            continue
        if limit and len(rows) >= limit:
            break
        row = []
        for c, index in enumerate(at):
            value = record[index].strip() if index < len(record) else ''
            if value == '':
                raise DataError(f"{path}: line {line}: column '{TABLE_COLUMNS[c]['name']}' is empty (missing values are refused: fill or drop the row)")
            row.append(value)
        rows.append(row)
        lines.append(line)
    if not rows:
        raise DataError(f'{path}: no data rows after the header')

    def number(r, c):
        value = js_number(rows[r][c])
        if value is None:
            raise DataError(f"{path}: line {lines[r]}: column '{TABLE_COLUMNS[c]['name']}' is numeric, but holds '{rows[r][c]}'")
        return value

    if table is None:
        columns = []
        for c, column in enumerate(TABLE_COLUMNS):
            if column.get('levels') is None:
                values = [number(r, c) for r in range(len(rows))]
                total = 0.0
                for v in values:  # in order, as ae sums them
                    total += v
                mean = total / len(values)
                spread = 0.0
                for v in values:
                    spread += (v - mean) ** 2
                columns.append({'name': column['name'], 'mean': mean, 'std': float(np.sqrt(spread / len(values))) or 1.0})
            else:
                # sorted as JavaScript sorts strings: by UTF-16 code units
                levels = sorted({row[c] for row in rows}, key=lambda level: level.encode('utf-16-be'))
                if len(levels) != column['levels']:
                    shown = f" ({', '.join(repr(level) for level in levels)})" if len(levels) <= 12 else ''
                    raise DataError(f"{path}: column '{column['name']}' is declared category({column['levels']}), but the training data has {len(levels)} levels{shown}")
                columns.append({'name': column['name'], 'levels': levels})
        table = {'columns': columns}
    width = sum(len(c['levels']) if 'levels' in c else 1 for c in table['columns'])
    x = np.zeros((len(rows), width), dtype=np.float32)
    indices = [{level: i for i, level in enumerate(c['levels'])} if 'levels' in c else None for c in table['columns']]
    for r in range(len(rows)):
        offset = 0
        for c, column in enumerate(table['columns']):
            if 'levels' in column:
                index = indices[c].get(rows[r][c])
                if index is None:
                    raise DataError(f"{path}: line {lines[r]}: column '{column['name']}' has the level '{rows[r][c]}', which the training data did not have (levels are learned from the training data; there is no 'unknown' level)")
                x[r, offset + index] = 1
                offset += len(column['levels'])
            else:
                x[r, offset] = (number(r, c) - column['mean']) / column['std']
                offset += 1
    return x, table


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
