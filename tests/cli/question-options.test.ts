/**
 * The question options (src/cli/question-options.ts): --hidden, --activation,
 * --output-weights and --loss TYPE[:BOUND] on solve and minimize ask the
 * question they name, the certificate's statement names it, and a bad
 * option is one line naming the option.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/format/errors.js';
import { readInstance, toInstance } from '../../src/format/schema.js';
import { instanceHash, instanceToJson } from '../../src/format/write.js';
import { overrideQuestion, parseLossSpec } from '../../src/cli/question-options.js';
import { cli, tempDir, tempFile } from '../helpers.js';

const ABS = 'instances/abs-3-k1.json';

describe('overrideQuestion', () => {
  it('asks the same question as the instance file edited by hand (property over the options)', () => {
    const base = readInstance('instances/abs-3-k1-l1-half.json');
    const options = fc.record(
      {
        hidden: fc.integer({ min: 1, max: 5 }).map(String),
        activation: fc.constantFrom('relu', 'threshold', 'leaky-relu'),
        outputWeights: fc.constantFrom('signs', 'positive', 'free'),
        loss: fc.oneof(
          fc.constantFrom('exact'),
          fc.tuple(fc.constantFrom('l1', 'linf', 'l2'), fc.nat(20), fc.integer({ min: 1, max: 7 })).map(([t, p, q]) => `${t}:${p}/${q}`),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(options, (o) => {
        const opts = { ...o, ...(o.activation === 'leaky-relu' ? { slope: '1/10' } : {}) };
        const asked = overrideQuestion(base, opts, 'abs.json');
        // the same edits made to the file's JSON
        const json = instanceToJson(base) as { architecture: Record<string, unknown>; loss: Record<string, unknown> };
        if (o.hidden !== undefined) json.architecture.hidden = Number(o.hidden);
        if (o.activation !== undefined) json.architecture.activation = o.activation;
        if (o.activation === 'leaky-relu') json.architecture.slope = '1/10';
        if (o.outputWeights !== undefined) json.architecture.outputWeights = o.outputWeights;
        if (o.loss !== undefined) {
          const [type, bound] = o.loss.split(':');
          json.loss = bound === undefined ? { type } : { type, bound };
        }
        expect(instanceHash(asked)).toBe(instanceHash(toInstance(json, 'edited')));
        expect(asked.name).toBe(base.name);
        const changed = Object.keys(o).length > 0;
        expect(asked.description.includes('[asked with')).toBe(changed);
      }),
      { numRuns: 60 },
    );
  });
  it('a bound-less --loss is refused unless the command finds the bound (minimize)', () => {
    const inst = readInstance(ABS);
    expect(() => overrideQuestion(inst, { loss: 'l2' }, ABS)).toThrow(/l2 needs a bound to decide: --loss l2:BOUND/);
    const q = overrideQuestion(inst, { loss: 'l2' }, ABS, 'any');
    expect(q.loss).toMatchObject({ type: 'l2' });
  });
  it('bad options name the option', () => {
    const inst = readInstance(ABS);
    const blamed = (o: Parameters<typeof overrideQuestion>[1]): string => {
      try {
        overrideQuestion(inst, o, ABS);
        return 'accepted';
      } catch (e) {
        return e instanceof InputError ? `${e.file}: ${e.field}` : String(e);
      }
    };
    expect(blamed({ hidden: '0' })).toBe('command line: --hidden');
    expect(blamed({ hidden: 'two' })).toBe('command line: --hidden');
    expect(blamed({ activation: 'tanh' })).toBe('command line: --activation');
    expect(blamed({ outputWeights: '1,2' })).toBe('command line: --output-weights');
    expect(blamed({ loss: 'l2:-1' })).toBe('command line: --loss');
    expect(blamed({ loss: 'classification' })).toBe('command line: --loss');
    expect(() => parseLossSpec('exact:1')).toThrow(/exact has no bound/);
    expect(() => parseLossSpec('huber:1')).toThrow(/expected exact, l1, linf, l2, classification/);
  });
});

describe('solve with the question options', () => {
  it('--hidden 2 makes abs-3 feasible; the printed question and the certificate name two units', async () => {
    const dir = tempDir();
    const cert = join(dir, 'abs.cert.json');
    const r = await cli('solve', ABS, '--hidden', '2', '--cert', cert);
    expect(r.code).toBe(10);
    expect(r.out).toMatch(/question: 2 relu units, output weights signs, no output bias; zero error on 3 points/);
    const c = await cli('check', cert);
    expect(c.out).toMatch(/^valid: the network with 2 relu units/);
    // the certificate answers the question asked, not the file's
    expect((await cli('check', cert, '--instance', ABS)).code).not.toBe(0);
    const embedded = (JSON.parse(readFileSync(cert, 'utf8')) as { instance: { description: string } }).instance;
    expect(embedded.description).toMatch(/\[asked with --hidden 2\]$/);
  });
  it('--loss l1:1 asks an l1 question of an exact-loss instance (1 ReLU: feasible at 1, infeasible below)', async () => {
    const ok = await cli('solve', ABS, '--loss', 'l1:1');
    expect(ok.code).toBe(10);
    expect(ok.out).toMatch(/l1 loss <= 1 on 3 points/);
    const no = await cli('solve', ABS, '--loss', 'l1:1/2', '--cert', join(tempDir(), 'c.json'));
    expect(no.code).toBe(20);
  });
  it('bad input: one line naming the option, exit 2', async () => {
    for (const [args, option] of [
      [['--loss', 'l2'], '--loss'],
      [['--loss', 'mse:1'], '--loss'],
      [['--hidden', '-1'], '--hidden'],
      [['--output-weights', 'some'], '--output-weights'],
    ] as const) {
      const r = await cli('solve', ABS, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^relucert: command line: ${option}: [^\\n]+\\n$`));
    }
  });
  it('a batch asks every instance the overridden question', async () => {
    const dir = tempDir();
    const summary = join(dir, 's.csv');
    const r = await cli('solve', ABS, 'instances/abs-3-k1-l1-half.json', '--hidden', '2', '--loss', 'exact', '--summary', summary, '--quiet');
    expect(r.code).toBe(0);
    const rows = readFileSync(summary, 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/,feasible,/);
  });
});

describe('minimize with the question options', () => {
  it('--loss l2 needs no bound: the least l2 loss of abs-3 with one ReLU, the network printed, both sides checked', async () => {
    const out = tempDir();
    const r = await cli('minimize', ABS, '--loss', 'l2', '--out', out, '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as {
      value: string;
      question: string;
      network: unknown;
      witness: { certificate: string; instance: string };
      lowerBound: { certificate: string; instance: string };
    };
    expect(o.question).toBe('1 relu unit, output weights signs, no output bias; least l2 loss on 3 points in dimension 1');
    // the printed network attains the value: eval certifies its loss exactly
    const net = tempFile('net.json', o.network);
    const e = await cli('eval', o.witness.instance, net);
    expect(e.out).toContain(`l2 loss ${o.value}`);
    expect((await cli('check', o.witness.certificate, '--instance', o.witness.instance)).out).toMatch(/^valid: the network with 1 relu unit/);
    expect((await cli('check', o.lowerBound.certificate, '--instance', o.lowerBound.instance)).out).toMatch(
      new RegExp(`^valid: no network with 1 relu unit.*l2 loss < ${o.value.replace('/', '\\/')}`),
    );
    const text = await cli('minimize', ABS, '--loss', 'l2', '--out', out);
    expect(text.out).toMatch(/\n {2}network: f\(x\) = /);
  });
  it('--loss with a bound, or --width with --hidden, is refused naming the option', async () => {
    const a = await cli('minimize', ABS, '--loss', 'l2:1');
    expect(a).toMatchObject({ code: 2, err: expect.stringMatching(/^relucert: command line: --loss: minimize --loss finds the least loss/) as unknown });
    const b = await cli('minimize', ABS, '--width', '--hidden', '2');
    expect(b).toMatchObject({ code: 2, err: expect.stringMatching(/^relucert: command line: --hidden: /) as unknown });
    const c = await cli('minimize', ABS, '--width', '--loss');
    expect(c).toMatchObject({ code: 2, err: expect.stringMatching(/give exactly one of --loss and --width/) as unknown });
  });
  it('--width --loss l1:1/2 finds the least width for that loss', async () => {
    const r = await cli('minimize', ABS, '--width', '--loss', 'l1:1/2', '--out', tempDir(), '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { value: string; lowerBound: { certificate: string } };
    expect(o.value).toBe('2');
    expect((await cli('check', o.lowerBound.certificate)).out).toMatch(/^valid: no network with 1 relu unit.*l1 loss <= 1\/2/);
  });
});
