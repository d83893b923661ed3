import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { decodeFloat32, encodeFloat32 } from './float32-codec.js';

describe('float32 codec', () => {
  it('encodes little-endian float32 as base64 and decodes it back', () => {
    const values = Float32Array.from([1, -0.5, 3.25, 1e-7, -65504]);
    const b64 = encodeFloat32(values);
    // 1.0f is 00 00 80 3f in little-endian order.
    expect(Buffer.from(b64, 'base64').subarray(0, 4)).toEqual(Buffer.from([0x00, 0x00, 0x80, 0x3f]));
    expect(Array.from(decodeFloat32(b64, values.length, 'x'))).toEqual(Array.from(values));
  });

  it('encodes only the viewed part of a shared buffer', () => {
    const whole = Float32Array.from([9, 1, 2, 9]);
    const view = whole.subarray(1, 3);
    expect(Array.from(decodeFloat32(encodeFloat32(view), 2, 'x'))).toEqual([1, 2]);
    expect(encodeFloat32(new Float32Array(0))).toBe('');
  });

  it('refuses a wrong length or a non-finite value, naming the field', () => {
    const b64 = encodeFloat32(Float32Array.from([1, 2]));
    expect(() => decodeFloat32(b64, 3, 'centroids')).toThrow(GatewayError);
    expect(() => decodeFloat32(b64, 3, 'centroids')).toThrow(/centroids: expected 3/);
    expect(() => decodeFloat32(encodeFloat32(Float32Array.from([1, Number.NaN])), 2, 'q')).toThrow(/q\[1\]: not a finite number/);
  });
});
