import { uuidv7 } from 'uuidv7';

/** Entity ids are UUIDv7: time-ordered, so inserts stay index-friendly. */
export function newId(): string {
  return uuidv7();
}
