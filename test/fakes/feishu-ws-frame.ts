// The long-connection wire format: protobuf `pbbp2.Frame` (the SDK's schema), encoded by hand so the
// fake gateway speaks exactly what WSClient decodes. Fields: 1 SeqID u64, 2 LogID u64, 3 service i32,
// 4 method i32 (0 control, 1 data), 5 headers {1 key, 2 value}, 6 payloadEncoding, 7 payloadType,
// 8 payload bytes, 9 LogIDNew.

export interface WsFrame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

const utf8 = new TextEncoder();

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

const tag = (field: number, wire: number) => varint((field << 3) | wire);
const bytesField = (field: number, b: Uint8Array) => [...tag(field, 2), ...varint(b.length), ...b];

export function encodeFrame(f: WsFrame): Uint8Array {
  // Required fields are always written: the SDK's decoder throws when one is missing.
  const out: number[] = [...tag(1, 0), ...varint(f.SeqID), ...tag(2, 0), ...varint(f.LogID), ...tag(3, 0), ...varint(f.service), ...tag(4, 0), ...varint(f.method)];
  for (const h of f.headers) out.push(...bytesField(5, new Uint8Array([...bytesField(1, utf8.encode(h.key)), ...bytesField(2, utf8.encode(h.value))])));
  if (f.payloadEncoding !== undefined) out.push(...bytesField(6, utf8.encode(f.payloadEncoding)));
  if (f.payloadType !== undefined) out.push(...bytesField(7, utf8.encode(f.payloadType)));
  if (f.payload !== undefined) out.push(...bytesField(8, f.payload));
  if (f.LogIDNew !== undefined) out.push(...bytesField(9, utf8.encode(f.LogIDNew)));
  return new Uint8Array(out);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error("truncated varint");
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return Number(v);
      shift += 7n;
    }
  }
  bytes(): Uint8Array {
    const len = this.varint();
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.bytes();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = new TextDecoder();

export function decodeFrame(buf: Uint8Array): WsFrame {
  const r = new Reader(buf);
  const f: WsFrame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  while (!r.done) {
    const t = r.varint();
    const field = t >>> 3;
    const wire = t & 7;
    switch (field) {
      case 1: f.SeqID = r.varint(); break;
      case 2: f.LogID = r.varint(); break;
      case 3: f.service = r.varint(); break;
      case 4: f.method = r.varint(); break;
      case 5: {
        const h = new Reader(r.bytes());
        const kv = { key: "", value: "" };
        while (!h.done) {
          const ht = h.varint();
          if (ht >>> 3 === 1) kv.key = text.decode(h.bytes());
          else if (ht >>> 3 === 2) kv.value = text.decode(h.bytes());
          else h.skip(ht & 7);
        }
        f.headers.push(kv);
        break;
      }
      case 6: f.payloadEncoding = text.decode(r.bytes()); break;
      case 7: f.payloadType = text.decode(r.bytes()); break;
      case 8: f.payload = r.bytes().slice(); break;
      case 9: f.LogIDNew = text.decode(r.bytes()); break;
      default: r.skip(wire);
    }
  }
  return f;
}
