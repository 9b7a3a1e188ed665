/**
 * The library's minimize (src/run/minimize.ts): both sides of the answer
 * certified (their certificates accepted by the checker for the questions
 * they answer), written only when a directory is given, and the state of a
 * run (checked texts, the first failed write) belonging to that run alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInstance } from '../../src/format/schema.js';
import { instanceToJson, prettyJson } from '../../src/format/write.js';
import { check } from '../../src/run/check.js';
import { type CertifiedSide, minimize } from '../../src/run/minimize.js';
import { tempDir } from '../helpers.js';

/** The checker's verdict on a certified side, bound to the question it answers. */
function checked(side: CertifiedSide | undefined): string {
  if (side?.status !== 'certified') return `not certified: ${side?.status}`;
  const outcome = check(side.certificate, { instance: prettyJson(instanceToJson(side.instance)) });
  return outcome.status === 'valid' && 'verdict' in outcome ? `${outcome.verdict}: ${side.instance.name}` : JSON.stringify(outcome);
}

describe('minimize', () => {
  it('the least l1 loss: a witness at the optimum and a proof below it, each for its own question; nothing written without a directory', async () => {
    const a = await minimize(readInstance('instances/abs-3-k1-l1-half.json'), { objective: 'loss' });
    expect(a.status).toBe('optimal');
    if (a.status !== 'optimal') return;
    expect(a.value.toString()).toBe('1');
    expect(checked(a.attained)).toBe('feasible: abs-3-k1-l1-half (l1 loss <= 1)');
    expect(checked(a.below)).toBe('infeasible: abs-3-k1-l1-half (l1 loss < 1)');
    expect(a.attained.status === 'certified' && a.attained.files).toBeUndefined();
    expect(a.writeError).toBeUndefined();
  });

  it('the least width, written into the directory: the files are the certified texts', async () => {
    const dir = tempDir();
    const a = await minimize(readInstance('instances/abs-3-k2.json'), { objective: 'width', dir });
    expect(a).toMatchObject({ status: 'optimal', objective: 'width' });
    if (a.status !== 'optimal' || a.attained.status !== 'certified' || a.below?.status !== 'certified') throw new Error('both sides certified expected');
    expect(String(a.value)).toBe('2');
    expect(a.attained.files).toEqual({ instance: join(dir, 'width-2.instance.json'), certificate: join(dir, 'width-2.cert.json') });
    expect(readFileSync(a.attained.files!.certificate, 'utf8')).toBe(a.attained.certificate);
    expect(readFileSync(a.below.files!.certificate, 'utf8')).toBe(a.below.certificate);
    expect(checked(a.below)).toBe('infeasible: abs-3-k2 (width 1)');
  });

  it("a run's failed write is its own: two runs at once, one whose directory cannot be made, the other unaffected", async () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const good = tempDir();
    const [bad, fine] = await Promise.all([
      minimize(readInstance('instances/abs-3-k1-l1-half.json'), { objective: 'loss', dir: join(blocker, 'out') }),
      minimize(readInstance('instances/abs-3-k1-l1-half.json'), { objective: 'loss', dir: good }),
    ]);
    expect(bad.writeError?.message).toMatch(/a-file/);
    expect(bad.status === 'optimal' && bad.attained.status === 'certified' && bad.attained.files).toBeUndefined();
    expect(fine.writeError).toBeUndefined();
    expect(existsSync(join(good, 'optimum.cert.json'))).toBe(true);
    expect(existsSync(join(good, 'below-optimum.cert.json'))).toBe(true);
  });

  it('refuses what cannot be minimised, naming the source and the field; an engine without proofs names --engine', async () => {
    await expect(minimize(readInstance('instances/abs-3-k1.json'), { objective: 'loss', source: 'abs.json' })).rejects.toMatchObject({
      file: 'abs.json',
      field: 'loss.type',
    });
    await expect(minimize(readInstance('instances/fixed-weights-k2.json'), { objective: 'width' })).rejects.toMatchObject({
      file: 'instance',
      field: 'architecture.outputWeights',
    });
    await expect(minimize(readInstance('instances/abs-3-k1-l1-half.json'), { objective: 'loss', engine: 'milp' })).rejects.toMatchObject({
      field: '--engine',
    });
  });
  it('with a stop signal (searches in one worker thread for the run): the same optimum; stopped before it starts, the bounds it has, "interrupted"', async () => {
    const inst = readInstance('instances/abs-3-k1-l1-half.json');
    const a = await minimize(inst, { objective: 'loss', stop: new AbortController().signal });
    expect(a.status).toBe('optimal');
    if (a.status === 'optimal') {
      expect(a.value.toString()).toBe('1');
      expect(checked(a.below)).toBe('infeasible: abs-3-k1-l1-half (l1 loss < 1)');
    }
    const stopped = new AbortController();
    stopped.abort('SIGINT');
    const b = await minimize(inst, { objective: 'loss', stop: stopped.signal });
    expect(b.status).toBe('bounds');
    if (b.status === 'bounds') {
      expect(b.reason).toBe('interrupted (SIGINT)');
      expect(checked(b.upper)).toMatch(/^feasible: abs-3-k1-l1-half \(l1 loss <= /);
    }
  });
});
