// decodeFrame "never throws": JSON values that cannot be turned into strings included.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../server/core/frame-codec.js';

describe('decodeFrame', () => {
  it.each([
    ['an object whose toString is not a function', '{"type":{"toString":1},"id":"a"}', 'unexpected type of kind object'],
    ['an object whose valueOf and toString are data', '{"type":{"valueOf":{},"toString":[]},"id":"a"}', 'unexpected type of kind object'],
    ['an array', '{"type":[1],"id":"a"}', 'unexpected type of kind array'],
    ['null', '{"type":null,"id":"a"}', 'unexpected type of kind null'],
    ['a number', '{"type":7,"id":"a"}', 'unexpected type of kind number'],
    ['an unknown string', '{"type":"evt","id":"a"}', 'unexpected type "evt"'],
  ])('a frame whose type is %s is answered as invalid, naming the kind', (_what, text, message) => {
    const frame = decodeFrame(text);
    expect(frame).toMatchObject({ kind: 'invalid', replyId: 'a' });
    expect((frame as { message: string }).message).toContain(message);
  });
});
