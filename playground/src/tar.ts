// A tar archive (POSIX ustar) of a few small files, written in the page: the trained run downloads
// as one file that `tar xf` unpacks into a directory `ae eval` and the other run commands read.

export function tarArchive(files: { name: string; data: Uint8Array }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const file of files) {
    const header = new Uint8Array(512);
    const field = (offset: number, length: number, text: string) => header.set(new TextEncoder().encode(text).subarray(0, length), offset);
    const octal = (offset: number, length: number, value: number) => field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
    if (new TextEncoder().encode(file.name).length > 100) throw new Error(`tar: the name ${file.name} is longer than 100 bytes`);
    field(0, 100, file.name);
    octal(100, 8, 0o644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, file.data.length);
    octal(136, 12, Math.floor(Date.now() / 1000));
    field(148, 8, '        '); // the checksum counts its own field as spaces
    field(156, 1, '0');
    field(257, 6, 'ustar\0');
    field(263, 2, '00');
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, file.data, new Uint8Array((512 - (file.data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024)); // two zero blocks end the archive
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const block of blocks) {
    out.set(block, offset);
    offset += block.length;
  }
  return out;
}
