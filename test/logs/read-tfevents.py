# An independent reader of TensorBoard event files, written from the TFRecord format and the Event /
# Summary protos (tensorflow/core/util/event.proto, tensorflow/core/framework/summary.proto) with the
# standard library only (TensorBoard itself cannot be installed here): checks every record's length
# and data CRC-32C (masked, bitwise CRC here, not a table), decodes the protobuf wire format, and
# prints the events as JSON.   python3 read-tfevents.py FILE
import json
import struct
import sys


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def fields(data):
    """(field number, wire type, value) of a protobuf message."""
    at = 0
    while at < len(data):
        key, at = varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = varint(data, at)
        elif wire == 1:
            value, at = data[at : at + 8], at + 8
        elif wire == 5:
            value, at = data[at : at + 4], at + 4
        elif wire == 2:
            size, at = varint(data, at)
            value, at = data[at : at + size], at + size
        else:
            raise ValueError(f'wire type {wire}')
        yield number, wire, value


def varint(data, at):
    shift = result = 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, at


def value_of(data):
    out = {}
    for number, _, value in fields(data):
        if number == 1:
            out['tag'] = value.decode()
        elif number == 2:
            out['simple_value'] = struct.unpack('<f', value)[0]
        elif number == 4:
            image = {k: v for k, v in ((n, v) for n, _, v in fields(value))}
            png = image[4]
            out['image'] = {'height': image[1], 'width': image[2], 'colorspace': image[3], 'png_bytes': len(png), 'png_signature': png[:8] == b'\x89PNG\r\n\x1a\n', 'png_width': int.from_bytes(png[16:20], 'big'), 'png_height': int.from_bytes(png[20:24], 'big')}
        elif number == 9:
            plugin = dict((n, v) for n, _, v in fields(value)).get(1)
            out['plugin'] = dict((n, v) for n, _, v in fields(plugin)).get(1, b'').decode()
        elif number == 8:
            tensor = list(fields(value))
            out['dtype'] = next(v for n, _, v in tensor if n == 1)
            out['text'] = [v.decode() for n, _, v in tensor if n == 8]
    return out


events = []
with open(sys.argv[1], 'rb') as f:
    data = f.read()
at = 0
while at < len(data):
    header = data[at : at + 8]
    (length,) = struct.unpack('<Q', header)
    (length_crc,) = struct.unpack('<I', data[at + 8 : at + 12])
    if length_crc != masked(header):
        raise SystemExit(f'bad length CRC at byte {at}')
    record = data[at + 12 : at + 12 + length]
    (data_crc,) = struct.unpack('<I', data[at + 12 + length : at + 16 + length])
    if data_crc != masked(record):
        raise SystemExit(f'bad data CRC at byte {at}')
    at += 16 + length
    event = {}
    for number, _, value in fields(record):
        if number == 1:
            event['wall_time'] = struct.unpack('<d', value)[0]
        elif number == 2:
            event['step'] = value
        elif number == 3:
            event['file_version'] = value.decode()
        elif number == 5:
            event['values'] = [value_of(v) for n, _, v in fields(value) if n == 1]
    events.append(event)
print(json.dumps(events))
