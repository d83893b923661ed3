import { GatewayError } from '../errors/gateway-error.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Large float arrays travel in the artifact as base64 of little-endian float32: 4 bytes a value
 * instead of ~10 characters of decimal JSON, and decoding is a copy instead of a parse.
 */
export function encodeFloat32(values: Float32Array): string {
  // A Float32Array already holds little-endian float32 on a little-endian machine: encode its bytes
  // in place (the decision log encodes one embedding per request) instead of copying them twice.
  if (LITTLE_ENDIAN) return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return Buffer.from(bytes).toString('base64');
}

/** Decodes {@link encodeFloat32}'s output; `field` names the artifact path in errors. */
export function decodeFloat32(b64: string, expectedLength: number, field: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== expectedLength * 4) {
    throw new GatewayError('routing_artifact_invalid', `${field}: expected ${expectedLength} float32 values, found ${bytes.length / 4}`);
  }
  const out = new Float32Array(expectedLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < expectedLength; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v)) throw new GatewayError('routing_artifact_invalid', `${field}[${i}]: not a finite number`);
    out[i] = v;
  }
  return out;
}
