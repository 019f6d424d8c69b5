import { V7Generator } from 'uuidv7';

/**
 * Random bits for ids, drawn from the system 4 KiB at a time: uuidv7's default buffer holds 32
 * bytes, so every few ids cost a getrandom system call.
 */
const random = {
  buffer: new Uint32Array(1024),
  cursor: 1024,
  nextUint32(): number {
    if (this.cursor >= this.buffer.length) {
      crypto.getRandomValues(this.buffer);
      this.cursor = 0;
    }
    return this.buffer[this.cursor++] as number;
  },
};
const generator = new V7Generator(random);

/** Entity ids are UUIDv7: time-ordered (monotonic within this process), so inserts stay index-friendly. */
export function newId(): string {
  return generator.generate().toString();
}
