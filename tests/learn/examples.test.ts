/**
 * examples/learn/ stays true: the shipped gram certificate is valid and bound
 * to its instance, the teacher files regenerate byte for byte from their seed,
 * and docs/learnability.md shows what the commands print.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { cli, tempDir } from '../helpers.js';

const ex = (f: string): string => readFileSync(`examples/learn/${f}`, 'utf8');
const doc = readFileSync('docs/learnability.md', 'utf8');

describe('examples/learn', () => {
  it('teacher.gram.json is valid and bound to teacher.json, and the docs quote its statement', async () => {
    const o = checkCertificate(ex('teacher.gram.json'), 'teacher.gram.json', { kind: 'gram', instance: { text: ex('teacher.json'), file: 'teacher.json' } });
    expect(o.status, JSON.stringify(o)).toBe('valid');
    const c = await cli('check', 'examples/learn/teacher.gram.json', '--instance', 'examples/learn/teacher.json');
    expect(doc).toContain(c.out.trim());
  });
  it('the teacher files regenerate byte for byte from the command in the docs', async () => {
    const d = tempDir();
    const r = await cli(
      'teacher',
      '--depth',
      '2',
      '--width',
      '3',
      '--dim',
      '6',
      '--samples',
      '80',
      '--seed',
      '1',
      '-o',
      join(d, 'teacher.json'),
      '--test',
      join(d, 'teacher-test.json'),
      '--test-samples',
      '40',
    );
    expect(r.code, r.err).toBe(0);
    for (const f of ['teacher.json', 'teacher.teacher.json', 'teacher-test.json']) expect(readFileSync(join(d, f), 'utf8'), f).toBe(ex(f));
    expect(doc).toContain(
      'relucert teacher --depth 2 --width 3 --dim 6 --samples 80 --seed 1 -o examples/learn/teacher.json --test examples/learn/teacher-test.json --test-samples 40',
    );
  });
  it('relucert gram prints the lines the docs show', async () => {
    const r = await cli('gram', 'examples/learn/teacher.json', '--kernel', 'poly:2', '--pivots', '30', '--decay', '2');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n').filter((l) => l !== '');
    for (const l of [...lines.slice(0, 8), ...lines.slice(-5)]) expect(doc, l).toContain(l);
  });
});
