import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { exactSolve } from '../../src/engines/exact.js';
import { minimizeLoss, minimizeWidth, simplestBetween } from '../../src/engines/minimize.js';
import { smallInstance } from '../arbitraries.js';
import { bruteForceLeastLoss } from './brute-force.js';

const solve = async (i: Instance) => exactSolve(i);
const regression = smallInstance({ maxPoints: 4, maxHidden: 2, maxDim: 2 }).filter(
  (i) => (i.loss.type === 'l1' || i.loss.type === 'linf') && i.architecture.hidden * i.points.length <= 6,
);

describe('minimize --loss', () => {
  it('finds the brute-force optimum, with both certificates accepted by the checker', async () => {
    await fc.assert(
      fc.asyncProperty(regression, async (inst) => {
        const r = await minimizeLoss(inst, solve);
        expect(r.status).toBe('optimal');
        if (r.status !== 'optimal') return;
        expect(r.value.eq(bruteForceLeastLoss(inst)), `got ${r.value}`).toBe(true);
        const at = checkCertificate(certificateText(certificateJson(r.witness.instance, { verdict: 'feasible', network: r.witness.network }, {})), 'at');
        expect(at.status).toBe('valid');
        const below = checkCertificate(certificateText(certificateJson(r.below!.instance, { verdict: 'infeasible', proof: r.below!.proof }, {})), 'below');
        expect(below.status, JSON.stringify(below)).toBe('valid');
        expect(r.below!.instance.loss).toMatchObject({ bound: r.value, strict: true });
      }),
      { numRuns: 40 },
    );
  });
  it('the least l1 loss of |x| on -1, 0, 1 with one ReLU is 1', async () => {
    const inst: Instance = {
      name: 'abs',
      description: '',
      points: [[Q.of(-1)], [Q.ZERO], [Q.ONE]],
      labels: [Q.ONE, Q.ZERO, Q.ONE],
      architecture: { hidden: 1, activation: 'relu', outputWeights: { mode: 'signs' }, outputBias: false },
      loss: { type: 'l1', bound: Q.ZERO, strict: false },
    };
    const r = await minimizeLoss(inst, solve);
    expect(r.status === 'optimal' && r.value.toString()).toBe('1');
  });
});

describe('minimize --width', () => {
  it('is the first width that fits, with the proof for one less', async () => {
    await fc.assert(
      fc.asyncProperty(
        smallInstance({ maxPoints: 4, maxHidden: 1 }).filter((i) => i.architecture.outputWeights.mode !== 'fixed'),
        async (inst) => {
          const r = await minimizeWidth(inst, solve, 4);
          if (r.status !== 'optimal') return; // no width up to 4 (possible for threshold/classification shapes)
          const k = Number(r.value.num);
          for (let j = 1; j <= 4; j++) {
            const v = exactSolve({ ...inst, architecture: { ...inst.architecture, hidden: j } }).verdict;
            if (j < k) expect(v).toBe('infeasible');
            if (j === k) expect(v).toBe('feasible');
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('minimize --loss is anytime', () => {
  it('under any time limit, the bounds it returns bracket the brute-force optimum and their certificates check', async () => {
    let stopped = 0;
    await fc.assert(
      fc.asyncProperty(regression, fc.integer({ min: 0, max: 40 }), async (inst, ms) => {
        const r = await minimizeLoss(inst, async (i, o) => exactSolve(i, o), { deadline: Date.now() + ms });
        const opt = bruteForceLeastLoss(inst);
        if (r.status === 'optimal') {
          expect(r.value.eq(opt)).toBe(true);
          return;
        }
        stopped++;
        if (r.lower) {
          expect(r.lower.value.le(opt), `lower ${r.lower.value} > optimum ${opt}`).toBe(true);
          expect(
            checkCertificate(certificateText(certificateJson(r.lower.instance, { verdict: 'infeasible', proof: r.lower.proof }, {})), 'lower').status,
          ).toBe('valid');
        }
        expect(r.upper).toBeDefined();
        expect(r.upper!.value.ge(opt)).toBe(true);
        expect(
          checkCertificate(certificateText(certificateJson(r.upper!.instance, { verdict: 'feasible', network: r.upper!.network }, {})), 'upper').status,
        ).toBe('valid');
      }),
      { numRuns: 40 },
    );
    expect(stopped).toBeGreaterThan(0);
  });
  it('bisects on the simplest rational of an interval (least denominator)', () => {
    const q = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 60 })).map(([a, b]) => Q.of(a, b));
    fc.assert(
      fc.property(q, q, (a, b) => {
        const [lo, hi] = a.le(b) ? [a, b] : [b, a];
        const s = simplestBetween(lo, hi);
        expect(s.ge(lo) && s.le(hi)).toBe(true);
        for (let den = 1n; den < s.den; den++) {
          // no fraction with a smaller denominator lies in [lo, hi]
          const num = (lo.num * den + lo.den - 1n) / lo.den; // ceil(lo * den) for lo >= 0
          expect(Q.of(num, den).gt(hi), `${num}/${den} in [${lo}, ${hi}]`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
