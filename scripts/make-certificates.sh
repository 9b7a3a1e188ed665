#!/usr/bin/env bash
# Re-solves every curated instance and writes its certificate to certificates/.
# Run after `npm run build`. Exit codes 10 / 20 are verdicts, not failures.
set -u
cd "$(dirname "$0")/.."
for f in instances/*.json; do
  name=$(basename "$f" .json)
  node bin/relucert.js solve "$f" --cert "certificates/$name.cert.json" --quiet --json
  rc=$?
  if [ "$rc" != 10 ] && [ "$rc" != 20 ]; then echo "failed on $f (exit $rc)" >&2; exit 1; fi
done
