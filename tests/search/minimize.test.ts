import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/check/index.js';
import { Q } from '../../src/core/rational.js';
import type { Instance } from '../../src/core/types.js';
import { certificateJson, certificateText } from '../../src/engines/certificate.js';
import { exactSolve } from '../../src/engines/exact.js';
import { minimizeLoss, minimizeWidth } from '../../src/engines/minimize.js';
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
      name: 'abs', description: '', points: [[Q.of(-1)], [Q.ZERO], [Q.ONE]], labels: [Q.ONE, Q.ZERO, Q.ONE],
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
      fc.asyncProperty(smallInstance({ maxPoints: 4, maxHidden: 1 }).filter((i) => i.architecture.outputWeights.mode !== 'fixed'), async (inst) => {
        const r = await minimizeWidth(inst, solve, 4);
        if (r.status !== 'optimal') return; // no width up to 4 (possible for threshold/classification shapes)
        const k = Number(r.value.num);
        for (let j = 1; j <= 4; j++) {
          const v = exactSolve({ ...inst, architecture: { ...inst.architecture, hidden: j } }).verdict;
          if (j < k) expect(v).toBe('infeasible');
          if (j === k) expect(v).toBe('feasible');
        }
      }),
      { numRuns: 25 },
    );
  });
});
