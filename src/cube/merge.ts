/**
 * `relucert merge DIR`: one ordinary certificate from a split directory, the
 * split tree with every needed cube proof plugged in (tree.ts), checked by the
 * unchanged independent checker before it is returned; or the first witness;
 * or the list of cubes still open. A part the checker rejects is traced back
 * to the cube certificate it came from, and reported as bad input naming it.
 */
import { checkCertificate } from '../check/index.js';
import { InputError } from '../format/errors.js';
import { lemmasUsed } from '../engines/certificate.js';
import { certificateJson, certificateText } from '../engines/certificate.js';
import type { ProofCase } from '../engines/result.js';
import { join } from 'node:path';
import { MANIFEST_FILE } from './format.js';
import { BadCubeCertificate, type SplitDir } from './split-dir.js';
import { type Plug, BadLemmaIndex, assembleCase } from './tree.js';

export type MergeOutcome =
  /** a cube's witness: the whole instance is feasible; `text` is its (checked) certificate */
  | { verdict: 'feasible'; cube: string; text: string; statement: string }
  /** every needed cube proved: `text` is the merged certificate, accepted by the checker */
  | { verdict: 'infeasible'; text: string; statement: string; plugged: number; lemmas: number }
  /** cubes still needed, in tree order */
  | { verdict: 'open'; open: string[]; proved: number };

/** Merges a split directory read by readSplitDir. Throws BadCubeCertificate (naming the cube and its file) if the checker rejects a cube's part. */
export function mergeSplit(sd: SplitDir): MergeOutcome {
  for (const c of sd.cubes) {
    const w = sd.witnesses.get(c.id);
    if (w) {
      const check = checkCertificate(w.text, w.file);
      return { verdict: 'feasible', cube: c.id, text: w.text, statement: check.status === 'valid' ? check.statement : '' };
    }
  }
  const open: string[] = [];
  const cases: { a: string[] | 'free'; lemmas?: unknown[]; tree: unknown }[] = [];
  const plugs: { caseIndex: number; plug: Plug }[] = [];
  sd.manifest.cases.forEach((c, caseIndex) => {
    let a;
    try {
      a = assembleCase(c.tree, (id) => sd.proofs.get(id));
    } catch (e) {
      if (e instanceof BadLemmaIndex) {
        const p = sd.proofs.get(e.cube)!;
        throw new BadCubeCertificate(p.file, e.where, `cube ${e.cube}: a lemma leaf's index is not one of the cube's lemmas`, e.cube, p.identity);
      }
      throw e;
    }
    if (a.status === 'open') open.push(...a.open);
    else {
      cases.push({ a: c.a, ...(a.lemmas.length > 0 ? { lemmas: a.lemmas } : {}), tree: a.tree });
      for (const plug of a.plugs) plugs.push({ caseIndex, plug });
    }
  });
  if (open.length > 0) return { verdict: 'open', open, proved: sd.proofs.size };

  const lemmaCount = cases.reduce((t, c) => t + (c.lemmas?.length ?? 0), 0);
  // the cube trees passed readSplitDir's shape check, so the walks of lemmasUsed are safe on them
  const proofCases = cases as ProofCase[];
  const cert = certificateJson(
    sd.inst,
    { verdict: 'infeasible', proof: { lemmas: lemmasUsed(sd.inst, proofCases), cases: proofCases } },
    { merged: { split: sd.manifest.split, cubes: plugs.length } },
  );
  const text = certificateText(cert);
  const check = checkCertificate(text, 'merged certificate');
  if (check.status === 'valid') return { verdict: 'infeasible', text, statement: check.statement, plugged: plugs.length, lemmas: lemmaCount };
  if (check.status === 'bad-input') throw new Error(`internal error: the merged certificate is not readable: ${check.message}`);
  // which cube's part was rejected
  for (const { caseIndex, plug } of plugs) {
    const { file, identity } = sd.proofs.get(plug.cube)!;
    const why = `cube ${plug.cube}: rejected by the checker (${check.rule}): expected ${check.expected}, got ${check.got}`;
    const inTree = below(check.path, `proof.cases[${caseIndex}].tree${plug.at}`);
    if (inTree !== undefined) throw new BadCubeCertificate(file, `tree${inTree}`, why, plug.cube, identity);
    for (let t = 0; t < plug.lemmaCount; t++) {
      const inLemma = below(check.path, `proof.cases[${caseIndex}].lemmas[${plug.lemmaOffset + t}]`);
      if (inLemma !== undefined) throw new BadCubeCertificate(file, `lemmas[${t}]${inLemma}`, why, plug.cube, identity);
    }
  }
  throw new InputError(join(sd.dir, MANIFEST_FILE), '', `the merged certificate is rejected by the checker: ${check.message}`);
}

/** The rest of `path` below `prefix` ("" when equal), or undefined when `path` is not inside it. */
function below(path: string, prefix: string): string | undefined {
  if (path === prefix) return '';
  if (path.startsWith(prefix) && (path[prefix.length] === '.' || path[prefix.length] === '[')) return path.slice(prefix.length);
  return undefined;
}
