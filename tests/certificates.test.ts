/**
 * Every shipped certificate is re-checked by the independent checker, bound to
 * its instance file, and agrees with a fresh solve by the default engine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../src/check/index.js';
import { engines, defaultEngine } from '../src/engines/index.js';
import { readInstance } from '../src/format/schema.js';

const instances = readdirSync('instances')
  .filter((f) => f.endsWith('.json'))
  .sort();
const certs = readdirSync('certificates')
  .filter((f) => f.endsWith('.cert.json'))
  .sort();

describe('shipped instances and certificates', () => {
  it('ship at least 15 instances, each with a description, a source and a certificate', () => {
    expect(instances.length).toBeGreaterThanOrEqual(15);
    for (const f of instances) {
      const raw = JSON.parse(readFileSync(`instances/${f}`, 'utf8')) as { description?: string; source?: string };
      expect(raw.description, f).toBeTruthy();
      expect(raw.source, f).toBeTruthy();
      expect(certs, f).toContain(f.replace(/\.json$/, '.cert.json'));
    }
  });

  it('cover both verdicts, relu and threshold, d = 1..3, k = 1..3 and every loss type', () => {
    const seen = new Set<string>();
    for (const f of certs) {
      const c = JSON.parse(readFileSync(`certificates/${f}`, 'utf8')) as {
        verdict: string;
        instance: { points: unknown[][]; architecture: { hidden: number; activation: string }; loss: { type: string } };
      };
      seen.add(`verdict:${c.verdict}`);
      seen.add(`act:${c.instance.architecture.activation}`);
      seen.add(`d:${c.instance.points[0]!.length}`);
      seen.add(`k:${c.instance.architecture.hidden}`);
      seen.add(`loss:${c.instance.loss.type}`);
    }
    for (const want of [
      'verdict:feasible',
      'verdict:infeasible',
      'act:relu',
      'act:threshold',
      'd:1',
      'd:2',
      'd:3',
      'k:1',
      'k:2',
      'k:3',
      'loss:exact',
      'loss:l1',
      'loss:linf',
      'loss:l2',
      'loss:classification',
    ])
      expect(seen, want).toContain(want);
  });

  for (const f of certs) {
    it(`${f} is valid, bound to its instance, and matches a fresh solve`, async () => {
      const instFile = `instances/${f.replace(/\.cert\.json$/, '.json')}`;
      const text = readFileSync(`certificates/${f}`, 'utf8');
      const out = checkCertificate(text, f, { instance: { text: readFileSync(instFile, 'utf8'), file: instFile } });
      expect(out.status, JSON.stringify(out)).toBe('valid');
      const fresh = await engines[defaultEngine]!.solve(readInstance(instFile), {});
      expect(out.status === 'valid' && out.verdict).toBe(fresh.verdict);
    });
  }
});
