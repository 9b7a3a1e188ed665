/** Paths the tests read, all inside the repository (tests/repository.test.ts keeps it so). */
import { join } from 'node:path';

/** The repository's root folder. */
export const ROOT = join(import.meta.dirname, '..');

/** The failing inputs handed over with the issues, one line each in tests/cases/README.md. */
export const CASES = join(import.meta.dirname, 'cases');
