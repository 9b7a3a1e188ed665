/**
 * The files of a split directory (docs/cluster.md, "Files"): the manifest
 * `relucert-split/1`, one `relucert-cube/1` file per cube, and the cube
 * certificates `relucert-cube-certificate/1` that `relucert solve CUBE`
 * writes. Reading validates every field (zod) and names the file and field
 * on bad input (InputError); writing is the inverse.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Literal } from '../encode/system.js';
import { InputError } from '../format/errors.js';
import { parseWith, readJsonFile } from '../format/schema.js';

export const MANIFEST_FORMAT = 'relucert-split/1';
export const CUBE_FORMAT = 'relucert-cube/1';
export const CUBE_CERT_FORMAT = 'relucert-cube-certificate/1';
export const MANIFEST_FILE = 'manifest.json';
export const INSTANCE_FILE = 'instance.json';

/** `act:j:i` / `inact:j:i`, indices in canonical decimal (the certificate's literal names). */
const LITERAL_NAME = /^(act|inact):(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/;
/** Cube ids: "7" for a cube of the first split, "7.1" for a cube split off cube 7 later. */
const CUBE_ID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;
const SPLIT_ID = /^[0-9a-f]{16}$/;
const HASH = /^sha256:[0-9a-f]{64}$/;

export function parseLiteralName(s: string): Literal | undefined {
  const m = LITERAL_NAME.exec(s);
  return m ? { active: m[1] === 'act', unit: Number(m[2]), point: Number(m[3]) } : undefined;
}

export const cubeFileName = (id: string): string => `cube-${id}.json`;
export const cubeCertFileName = (id: string): string => `cube-${id}.cert.json`;
export const cubeFile = (dir: string, id: string): string => join(dir, cubeFileName(id));
export const cubeCertFile = (dir: string, id: string): string => join(dir, cubeCertFileName(id));

/**
 * A node of a case's split tree. A leaf names its cube; an inner node splits
 * on (unit, point) with children `act` (ACT) and `inact` (INACT). A node that
 * has both was a cube that was split again later: either the cube's own
 * certificate or its children's close it.
 */
export interface SplitNode {
  cube?: string;
  split?: { unit: number; point: number };
  act?: SplitNode;
  inact?: SplitNode;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** identifies this split: every cube file and cube certificate repeats it */
  split: string;
  instanceHash: string;
  /** the instance file, relative to the directory */
  instance: string;
  /** one entry per normalisation case, in the engines' order (src/encode/system.ts) */
  cases: { a: string[] | 'free'; tree: SplitNode }[];
}

export interface CubeFile {
  format: typeof CUBE_FORMAT;
  split: string;
  cube: string;
  instanceHash: string;
  /** the instance file, relative to the cube file's directory */
  instance: string;
  /** index into the manifest's cases */
  case: number;
  a: string[] | 'free';
  /** the literals on the path from the case root, in order */
  assume: string[];
}

export interface CubeLemma {
  assume: string[];
  tree: unknown;
}

export interface CubeCertificate {
  format: typeof CUBE_CERT_FORMAT;
  verdict: 'infeasible';
  split: string;
  cube: string;
  instanceHash: string;
  case: number;
  a: string[] | 'free';
  assume: string[];
  /** the case's lemmas this subtree uses (docs/certificates.md section 4.6); lemma leaves index into this list */
  lemmas?: CubeLemma[];
  tree: unknown;
  producer?: Record<string, unknown>;
}

const literalString = z.string().regex(LITERAL_NAME, 'not a literal name (act:j:i or inact:j:i)');
const caseLabel = z.union([z.literal('free'), z.array(z.string())]);
const splitId = z.string().regex(SPLIT_ID, 'not a split id (16 hex digits)');
const cubeId = z.string().regex(CUBE_ID, 'not a cube id (like "7" or "7.1")');
const hash = z.string().regex(HASH, 'not an instance hash (sha256:<64 hex>)');
const index = z.number().int().min(0);

const splitNode: z.ZodType<SplitNode> = z.lazy(() =>
  z
    .strictObject({
      cube: cubeId.optional(),
      split: z.strictObject({ unit: index, point: index }).optional(),
      act: splitNode.optional(),
      inact: splitNode.optional(),
    })
    .refine(
      (n) => (n.split === undefined) === (n.act === undefined) && (n.split === undefined) === (n.inact === undefined),
      'a split needs both children act and inact, and children need a split',
    )
    .refine((n) => n.cube !== undefined || n.split !== undefined, 'a node is a cube, a split, or both'),
);

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  split: splitId,
  instanceHash: hash,
  instance: z.string().min(1),
  cases: z.array(z.strictObject({ a: caseLabel, tree: splitNode })).min(1),
});

const cubeSchema = z.strictObject({
  format: z.literal(CUBE_FORMAT),
  split: splitId,
  cube: cubeId,
  instanceHash: hash,
  instance: z.string().min(1),
  case: index,
  a: caseLabel,
  assume: z.array(literalString),
});

const cubeCertSchema = z.strictObject({
  format: z.literal(CUBE_CERT_FORMAT),
  verdict: z.literal('infeasible'),
  split: splitId,
  cube: cubeId,
  instanceHash: hash,
  case: index,
  a: caseLabel,
  assume: z.array(literalString),
  lemmas: z.array(z.strictObject({ assume: z.array(literalString), tree: z.record(z.string(), z.unknown()) })).optional(),
  tree: z.record(z.string(), z.unknown()),
  producer: z.record(z.string(), z.unknown()).optional(),
});

/** The `format` field of a parsed JSON file, if it has one. */
export function formatField(data: unknown): string | undefined {
  return typeof data === 'object' && data !== null && typeof (data as { format?: unknown }).format === 'string'
    ? (data as { format: string }).format
    : undefined;
}

export function readManifest(file: string): Manifest {
  return parseWith(manifestSchema, readJsonFile(file), file);
}

export function toCubeFile(data: unknown, file: string): CubeFile {
  return parseWith(cubeSchema, data, file);
}

export function readCubeFile(file: string): CubeFile {
  return toCubeFile(readJsonFile(file), file);
}

export function toCubeCertificate(data: unknown, file: string): CubeCertificate {
  return parseWith(cubeCertSchema, data, file);
}

/** The literals of an `assume` list (already validated), rejecting a (unit, point) named twice. */
export function assumedLiterals(names: readonly string[], file: string, field: string): Literal[] {
  const seen = new Set<string>();
  return names.map((name, t) => {
    const l = parseLiteralName(name);
    if (!l) throw new InputError(file, `${field}[${t}]`, `not a literal name: ${JSON.stringify(name)}`);
    const key = `${l.unit}:${l.point}`;
    if (seen.has(key)) throw new InputError(file, `${field}[${t}]`, `unit ${l.unit} at point ${l.point} is assumed twice`);
    seen.add(key);
    return l;
  });
}
