/** Luby's sequence, the restart intervals of the conflict-driven engine (src/engines/cdcl/luby.ts). */
import { describe, expect, it } from 'vitest';
import { luby } from '../../../src/engines/cdcl/luby.js';

describe('luby', () => {
  it('is 1 1 2 1 1 2 4 1 1 2 1 1 2 4 8', () => {
    expect(Array.from({ length: 15 }, (_, i) => luby(i))).toEqual([1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8]);
  });
});
