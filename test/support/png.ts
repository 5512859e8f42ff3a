// A real PNG made in memory (no fixture files): a w×h picture of horizontal colour bands, so a browser
// shows something recognisable and a test can tell the stored bytes are the bytes served.
import zlib from "node:zlib";

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

export function bandsPng(w = 120, h = 80, colours: [number, number, number][] = [[220, 40, 40], [40, 160, 60], [40, 80, 220]]): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const c = colours[Math.floor((y * colours.length) / h)]!;
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set(c, 1 + x * 3);
    rows.push(row);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([sig, chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]));
}
