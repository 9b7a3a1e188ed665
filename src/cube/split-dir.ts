/**
 * A split directory on disk (docs/cluster.md, "Files"): creating it
 * (`relucert split`), splitting open cubes again, and reading it back with
 * every cross-check `relucert merge` relies on. Bad input is an InputError
 * that names the file and the cube; nothing is half-written (a new split is
 * built in a temporary directory and renamed; a re-split writes its new cube
 * files first and the manifest last).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Instance } from '../core/types.js';
import { caseLabel, literalName, normalisationCases } from '../encode/system.js';
import { certificateJson, certificateText } from '../engines/certificate.js';
import { solveUnder } from '../engines/solve-under.js';
import { InputError } from '../format/errors.js';
import { readInstance, readJsonFile, readText } from '../format/schema.js';
import { instanceHash, instanceToJson, prettyJson } from '../format/write.js';
import { writeFileAtomic } from '../format/files.js';
import { checkCertificate } from '../check/index.js';
import {
  CUBE_CERT_FORMAT,
  CUBE_FORMAT,
  INSTANCE_FILE,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type CubeCertificate,
  type CubeFile,
  type Manifest,
  type SplitNode,
  assumedLiterals,
  cubeCertFile,
  cubeCertFileName,
  cubeFile,
  cubeFileName,
  formatField,
  readManifest,
  toCubeCertificate,
  toCubeFile,
} from './format.js';
import { Lookahead } from './lookahead.js';
import { type PlannedCube, growSplit } from './plan.js';
import { type CubeProof, assumptionsUsed, malformedNode } from './tree.js';
import type { Literal } from '../encode/system.js';

/** Nodes given to a closed cube (float LP infeasible) when it is proved at split time. */
const CLOSED_CUBE_NODES = 100;

/** A cube as the manifest places it. */
export interface CubeEntry {
  id: string;
  caseIndex: number;
  assume: Literal[];
  node: SplitNode;
}

/** A split directory read back and cross-checked. */
export interface SplitDir {
  dir: string;
  manifest: Manifest;
  inst: Instance;
  /** every cube of the manifest, in tree order (cases in order, act before inact) */
  cubes: CubeEntry[];
  /** infeasible cube certificates, by cube id */
  proofs: Map<string, ProofFile>;
  /** witness certificates (the ordinary format, checked), by cube id */
  witnesses: Map<string, { file: string; text: string }>;
}

/**
 * Creates a split directory for `inst` with about `cubes` open cubes (lookahead,
 * plan.ts). Closed cubes are proved at once and get their certificate. `dir`
 * must not exist or be empty.
 */
export function createSplit(inst: Instance, dir: string, cubes: number): { manifest: Manifest; planned: PlannedCube[]; provedAtOnce: string[] } {
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0))
    throw new InputError(dir, '', 'exists and is not an empty directory (a split needs a directory of its own)');
  const la = new Lookahead(inst);
  const trees: SplitNode[] = la.cases.map(() => ({}));
  const planned = growSplit(
    la,
    trees.map((node, caseIndex) => ({ caseIndex, path: [], node })),
    cubes,
    String,
  );
  const hash = instanceHash(inst);
  const split = createHash('sha256')
    .update(`${hash}\n${JSON.stringify(trees)}`)
    .digest('hex')
    .slice(0, 16);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    split,
    instanceHash: hash,
    instance: INSTANCE_FILE,
    cases: la.cases.map((c, t) => ({ a: caseLabel(c), tree: trees[t]! })),
  };
  // everything in a temporary directory next to dir, renamed into place at the end
  const tmp = `${resolve(dir)}.tmp-${process.pid}`;
  try {
    mkdirSync(tmp, { recursive: true });
    writeFileAtomic(join(tmp, INSTANCE_FILE), prettyJson(instanceToJson(inst)));
    const provedAtOnce = writeCubes(tmp, manifest, inst, planned);
    writeFileAtomic(join(tmp, MANIFEST_FILE), prettyJson(manifest));
    if (existsSync(dir)) rmSync(dir, { recursive: true });
    mkdirSync(dirname(resolve(dir)), { recursive: true });
    renameSync(tmp, dir);
    return { manifest, planned, provedAtOnce };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof InputError) throw e;
    throw new InputError(dir, '', `cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Splits the open cubes `ids` of a split directory again, each into about
 * `count` open cubes (ids "7.0", "7.1", ... for cube 7). A cube that is proved
 * or already split is refused. Returns the new cubes.
 */
export function resplitCubes(sd: SplitDir, ids: readonly string[], count: number): PlannedCube[] {
  const la = new Lookahead(sd.inst);
  const out: PlannedCube[] = [];
  for (const id of ids) {
    const entry = sd.cubes.find((c) => c.id === id);
    if (!entry) throw new InputError(join(sd.dir, MANIFEST_FILE), 'cases', `no cube ${JSON.stringify(id)} in this split`);
    if (entry.node.split) throw new InputError(cubeFile(sd.dir, id), '', `cube ${id} was already split again (into ${id}.0, ...)`);
    if (sd.proofs.has(id) || sd.witnesses.has(id)) throw new InputError(cubeCertFile(sd.dir, id), '', `cube ${id} is already solved`);
    const planned = growSplit(la, [{ caseIndex: entry.caseIndex, path: entry.assume, node: entry.node }], count, (n) => `${id}.${n}`);
    out.push(...planned);
  }
  writeCubes(sd.dir, sd.manifest, sd.inst, out);
  writeFileAtomic(join(sd.dir, MANIFEST_FILE), prettyJson(sd.manifest));
  return out;
}

/** Writes the cube files, and the certificates of closed cubes proved at once; returns the ids proved. */
function writeCubes(dir: string, manifest: Manifest, inst: Instance, planned: readonly PlannedCube[]): string[] {
  const proved: string[] = [];
  for (const p of planned) {
    const cube: CubeFile = {
      format: CUBE_FORMAT,
      split: manifest.split,
      cube: p.id,
      instanceHash: manifest.instanceHash,
      instance: manifest.instance,
      case: p.caseIndex,
      a: manifest.cases[p.caseIndex]!.a,
      assume: p.assume.map(literalName),
    };
    writeFileAtomic(join(dir, cubeFileName(p.id)), JSON.stringify(cube) + '\n');
    if (!p.closed) continue;
    const cert = cubeCertificateText(cube, inst, solveUnder(inst, p.caseIndex, p.assume, { nodeBudget: CLOSED_CUBE_NODES }), {
      engine: 'exact',
      purpose: 'split',
    });
    if (cert) {
      writeFileAtomic(join(dir, cubeCertFileName(p.id)), cert);
      proved.push(p.id);
    }
  }
  return proved;
}

/**
 * The certificate text for a cube's outcome: a cube certificate for
 * 'infeasible', an ordinary witness certificate (checked by the independent
 * checker first) for 'feasible', nothing for 'unknown'.
 */
export function cubeCertificateText(
  cube: CubeFile,
  inst: Instance,
  outcome: ReturnType<typeof solveUnder>,
  producer: Record<string, unknown>,
): string | undefined {
  switch (outcome.verdict) {
    case 'unknown':
      return undefined;
    case 'feasible': {
      const text = certificateText(
        certificateJson(inst, { verdict: 'feasible', network: outcome.network }, { ...producer, cube: cube.cube, split: cube.split }),
      );
      const check = checkCertificate(text, cubeCertFileName(cube.cube));
      if (check.status !== 'valid')
        throw new Error(`internal error: the checker rejects the witness just found: ${check.status === 'rejected' ? check.message : check.message}`);
      return text;
    }
    case 'infeasible': {
      const cert: CubeCertificate = {
        format: CUBE_CERT_FORMAT,
        verdict: 'infeasible',
        split: cube.split,
        cube: cube.cube,
        instanceHash: cube.instanceHash,
        case: cube.case,
        a: cube.a,
        assume: cube.assume,
        ...(outcome.lemmas.length > 0 ? { lemmas: outcome.lemmas } : {}),
        tree: outcome.tree,
        producer: { tool: 'relucert', ...producer, nodes: outcome.stats.nodes },
      };
      return JSON.stringify(cert) + '\n';
    }
  }
}

/**
 * A cube file read for solving: the cube, its instance (found relative to the
 * cube file) and its literals, after checking that they belong together.
 */
export function readCubeForSolving(file: string): { cube: CubeFile; inst: Instance; assume: Literal[] } {
  const cube = toCubeFile(readJsonFile(file), file);
  const instFile = join(dirname(file), cube.instance);
  const inst = readInstance(instFile);
  checkCubeAgainst(cube, file, inst, instanceHash(inst), instFile);
  return { cube, inst, assume: assumedLiterals(cube.assume, file, 'assume') };
}

/** A cube's case and literals fit its instance (and its hash is the instance's). */
function checkCubeAgainst(
  cube: { case: number; a: string[] | 'free'; assume: string[]; instanceHash: string; cube: string },
  file: string,
  inst: Instance,
  hash: string,
  instFile: string,
): void {
  if (cube.instanceHash !== hash)
    throw new InputError(file, 'instanceHash', `cube ${cube.cube} is for another instance (${cube.instanceHash}), not ${instFile} (${hash})`);
  const cases = normalisationCases(inst);
  const c = cases[cube.case];
  if (!c) throw new InputError(file, 'case', `cube ${cube.cube}: the instance has ${cases.length} cases, not case ${cube.case}`);
  if (JSON.stringify(caseLabel(c)) !== JSON.stringify(cube.a))
    throw new InputError(file, 'a', `cube ${cube.cube}: case ${cube.case} has output weights ${JSON.stringify(caseLabel(c))}`);
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  assumedLiterals(cube.assume, file, 'assume').forEach((l, t) => {
    if (l.unit >= k || l.point >= n)
      throw new InputError(file, `assume[${t}]`, `cube ${cube.cube}: ${literalName(l)} is out of range (${k} units, ${n} points)`);
  });
}

/**
 * A cube certificate that cannot be merged: unreadable, not for this cube, or
 * rejected by the checker. An InputError (the CLI reports it as bad input)
 * that also names the cube, and the identity of the file that was judged
 * (fileIdentity), so that a resume can set exactly that file aside
 * (setAsideCertificate in resume.ts) and solve the cube again.
 */
export class BadCubeCertificate extends InputError {
  constructor(
    file: string,
    field: string,
    detail: string,
    readonly cube: string,
    readonly identity: string | undefined,
  ) {
    super(file, field, detail);
  }
}

/**
 * A file's identity: device, inode, size and modification time, or undefined
 * if it cannot be read. Every writer of a split directory renames a new file
 * into place, so a certificate written again has another identity.
 */
export function fileIdentity(file: string): string | undefined {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return undefined;
  }
}

/**
 * Reads a split directory and cross-checks it: the manifest, its instance
 * (hash), every cube file (same split, same instance, the place the manifest
 * gives it; none missing, none extra or twice), and every certificate file
 * (parsed; a cube certificate must match its cube; a witness certificate must
 * pass the independent checker). The first problem is an InputError naming
 * the file and the cube; a bad certificate is a BadCubeCertificate.
 *
 * Files of a re-split not yet in the manifest (cube 7.0, ... beside a cube 7
 * that the manifest still has as a leaf: a `relucert split --resplit` or
 * `relucert slurm DIR --resplit` running at the same time, or interrupted,
 * writes the manifest last) are not part of the split yet and are skipped,
 * as is a certificate that disappears while the directory is read (set aside
 * by a resume at the same time): its cube is open.
 */
export function readSplitDir(dir: string): SplitDir {
  const manifestFile = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) throw new InputError(dir, '', `not a split directory (no ${MANIFEST_FILE}; make one with relucert split)`);
  const manifest = readManifest(manifestFile);
  const instFile = join(dir, manifest.instance);
  const inst = readInstance(instFile);
  const hash = instanceHash(inst);
  if (hash !== manifest.instanceHash) throw new InputError(manifestFile, 'instanceHash', `${manifest.instanceHash} is not the hash of ${instFile} (${hash})`);
  const labels = normalisationCases(inst).map((c) => JSON.stringify(caseLabel(c)));
  if (labels.length !== manifest.cases.length || manifest.cases.some((c, t) => JSON.stringify(c.a) !== labels[t]))
    throw new InputError(manifestFile, 'cases', `expected the cases ${labels.join(' ')} of ${instFile}, in that order`);

  const cubes = cubesOf(manifest, inst, manifestFile);
  const byId = new Map(cubes.map((c) => [c.id, c]));
  const files = readdirSync(dir);
  const context: DirContext = { dir, manifest, inst, hash, instFile, byId };
  checkCubeFiles(context, files);
  const proofs = new Map<string, ProofFile>();
  const witnesses = new Map<string, { file: string; text: string }>();
  for (const name of files) {
    const m = /^cube-(.*)\.cert\.json$/.exec(name);
    if (!m) continue;
    const id = m[1]!;
    if (uncommitted(id, byId)) continue;
    const read = readCertificateFile(context, join(dir, name), id);
    if (read?.kind === 'proof') proofs.set(id, read.proof);
    else if (read?.kind === 'witness') witnesses.set(id, read.witness);
  }
  return { dir, manifest, inst, cubes, proofs, witnesses };
}

/** What every file of a split directory is checked against. */
interface DirContext {
  dir: string;
  manifest: Manifest;
  inst: Instance;
  hash: string;
  instFile: string;
  byId: Map<string, CubeEntry>;
}

/** A cube proof read from its certificate file, with the file's identity when it was read. */
export type ProofFile = CubeProof & { file: string; identity: string | undefined };

/** Whether cube `id` is not in the manifest but one level below a cube the manifest has as a leaf: a re-split not committed yet. */
function uncommitted(id: string, byId: ReadonlyMap<string, CubeEntry>): boolean {
  const dot = id.lastIndexOf('.');
  if (dot < 0 || byId.has(id)) return false;
  const parent = byId.get(id.slice(0, dot));
  return parent !== undefined && parent.node.split === undefined;
}

/** The cube files: each manifest cube once, at its place; nothing else but an uncommitted re-split's. */
function checkCubeFiles(c: DirContext, files: readonly string[]): void {
  const { dir, manifest, byId } = c;
  for (const name of files) {
    const m = /^cube-(.*)\.json$/.exec(name);
    if (!m || name.endsWith('.cert.json')) continue;
    const file = join(dir, name);
    const data = naming(m[1]!, () => readJsonFile(file));
    if (formatField(data) !== CUBE_FORMAT) throw new InputError(file, 'format', `cube ${m[1]}: not a cube file (expected "${CUBE_FORMAT}")`);
    const cube = naming(m[1]!, () => toCubeFile(data, file));
    checkCubeAgainst(cube, file, c.inst, c.hash, c.instFile);
    if (cube.split !== manifest.split)
      throw new InputError(file, 'split', `cube ${cube.cube} is from another split (${cube.split}; this directory's is ${manifest.split})`);
    if (cube.cube !== m[1]) throw new InputError(file, 'cube', `duplicated cube: the file of cube ${m[1]} holds cube ${cube.cube}`);
    const entry = byId.get(cube.cube);
    if (!entry && uncommitted(cube.cube, byId)) continue;
    if (!entry)
      throw new InputError(file, 'cube', `cube ${cube.cube} is not in ${MANIFEST_FILE} (left over from an interrupted split? remove it or split again)`);
    if (cube.case !== entry.caseIndex || cube.assume.join(' ') !== entry.assume.map(literalName).join(' '))
      throw new InputError(
        file,
        'assume',
        `cube ${cube.cube}: case and literals differ from its place in ${MANIFEST_FILE} (case ${entry.caseIndex}: ${entry.assume.map(literalName).join(' ') || 'none'})`,
      );
  }
  for (const e of byId.values())
    if (!files.includes(cubeFileName(e.id))) throw new InputError(cubeFile(dir, e.id), '', `cube ${e.id} is missing (its file is gone)`);
}

/**
 * Reads one certificate file of cube `id`: a cube proof, or a witness (which
 * must pass the checker); undefined if the file is gone. Every problem is a
 * BadCubeCertificate naming the file and the cube. The file's identity is
 * taken before and after reading; a file replaced meanwhile is read again
 * (up to 5 times; then the last reading stands, with no identity, so that it
 * is never set aside).
 */
function readCertificateFile(
  c: DirContext,
  file: string,
  id: string,
): { kind: 'proof'; proof: ProofFile } | { kind: 'witness'; witness: { file: string; text: string } } | undefined {
  for (let attempt = 1; ; attempt++) {
    const before = fileIdentity(file);
    if (before === undefined && !existsSync(file)) return undefined;
    let read;
    try {
      read = judgeCertificate(c, file, id);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      if (!existsSync(file)) return undefined;
      const same = fileIdentity(file) === before;
      if (!same && attempt < 5) continue;
      throw new BadCubeCertificate(e.file, e.field, e.detail, id, same ? before : undefined);
    }
    const same = fileIdentity(file) === before;
    if (!same && attempt < 5) continue;
    return read.kind === 'proof' ? { kind: 'proof', proof: { ...read.proof, identity: same ? before : undefined } } : read;
  }
}

/** The checks of one certificate file (readCertificateFile); problems are InputErrors. */
function judgeCertificate(
  c: DirContext,
  file: string,
  id: string,
): { kind: 'proof'; proof: ProofFile } | { kind: 'witness'; witness: { file: string; text: string } } {
  const entry = c.byId.get(id);
  if (!entry) throw new InputError(file, '', `a certificate for cube ${id}, which is not in ${MANIFEST_FILE}`);
  const data = naming(id, () => readJsonFile(file));
  const format = formatField(data);
  if (format === CUBE_CERT_FORMAT) {
    const cert = naming(id, () => toCubeCertificate(data, file));
    if (cert.instanceHash !== c.hash) throw new InputError(file, 'instanceHash', `cube ${id}: the certificate is for another instance (${cert.instanceHash})`);
    if (cert.split !== c.manifest.split) throw new InputError(file, 'split', `cube ${id}: the certificate is from another split (${cert.split})`);
    if (cert.cube !== id) throw new InputError(file, 'cube', `duplicated cube: the certificate file of cube ${id} holds cube ${cert.cube}`);
    if (cert.case !== entry.caseIndex || cert.assume.join(' ') !== entry.assume.map(literalName).join(' '))
      throw new InputError(file, 'assume', `cube ${id}: the certificate's case and literals are not the cube's`);
    for (const [tree, where] of [[cert.tree, 'tree'], ...(cert.lemmas ?? []).map((l, t) => [l.tree, `lemmas[${t}].tree`] as const)] as const) {
      const bad = malformedNode(tree, where);
      if (bad !== undefined) throw new InputError(file, bad, `cube ${id}: not a proof node (a split with act and inact, or a leaf)`);
    }
    const lemmas = (cert.lemmas ?? []).map((l, t) => {
      naming(id, () => assumedLiterals(l.assume, file, `lemmas[${t}].assume`));
      return { assume: l.assume, tree: l.tree };
    });
    return { kind: 'proof', proof: { file, identity: undefined, tree: cert.tree, lemmas, uses: assumptionsUsed(cert.tree, lemmas) } };
  }
  if (format !== undefined && /^relucert-certificate\/\d+$/.test(format)) {
    const text = readText(file);
    const check = checkCertificate(text, file);
    if (check.status !== 'valid') throw new InputError(file, check.status === 'rejected' ? check.path : check.field, `cube ${id}: ${check.message}`);
    if (check.verdict !== 'feasible')
      throw new InputError(
        file,
        'verdict',
        `cube ${id}: an infeasibility certificate of the whole instance is not a cube certificate (expected "${CUBE_CERT_FORMAT}" or a witness)`,
      );
    if (check.instanceHash !== c.hash) throw new InputError(file, 'instanceHash', `cube ${id}: the witness is for another instance (${check.instanceHash})`);
    return { kind: 'witness', witness: { file, text } };
  }
  throw new InputError(file, 'format', `cube ${id}: not a cube certificate (expected "${CUBE_CERT_FORMAT}" or a witness certificate)`);
}

/** Runs `read`; an InputError it throws gets "cube ID: " in front of its message. */
function naming<T>(id: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof InputError && !e.detail.startsWith(`cube ${id}`)) throw new InputError(e.file, e.field, `cube ${id}: ${e.detail}`);
    throw e;
  }
}

/** The manifest's cubes in tree order, with the literals on their paths; checks ids are unique and literals in range, none twice on a path. */
function cubesOf(manifest: Manifest, inst: Instance, file: string): CubeEntry[] {
  const k = inst.architecture.hidden;
  const n = inst.points.length;
  const out: CubeEntry[] = [];
  const seen = new Set<string>();
  const walk = (node: SplitNode, caseIndex: number, path: Literal[], where: string): void => {
    if (node.cube !== undefined) {
      if (seen.has(node.cube)) throw new InputError(file, where, `duplicated cube: cube ${node.cube} appears twice`);
      seen.add(node.cube);
      out.push({ id: node.cube, caseIndex, assume: path, node });
    }
    if (!node.split) return;
    const { unit, point } = node.split;
    if (unit >= k || point >= n) throw new InputError(file, `${where}.split`, `unit ${unit} at point ${point} is out of range (${k} units, ${n} points)`);
    if (path.some((l) => l.unit === unit && l.point === point)) throw new InputError(file, `${where}.split`, `splits again on unit ${unit} at point ${point}`);
    walk(node.act!, caseIndex, [...path, { unit, point, active: true }], `${where}.act`);
    walk(node.inact!, caseIndex, [...path, { unit, point, active: false }], `${where}.inact`);
  };
  manifest.cases.forEach((c, t) => walk(c.tree, t, [], `cases[${t}].tree`));
  return out;
}
