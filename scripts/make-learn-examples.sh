#!/usr/bin/env bash
# Regenerates examples/learn/ (docs/learnability.md shows these commands and their output).
# Run after `npm run build`. Deterministic: the same seeds give the same files.
set -eu
cd "$(dirname "$0")/.."
r() { node bin/relucert.js "$@"; }
d=examples/learn
mkdir -p "$d"
r teacher --depth 2 --width 3 --dim 6 --samples 80 --seed 1 -o "$d/teacher.json" --test "$d/teacher-test.json" --test-samples 40
r gram "$d/teacher.json" --kernel poly:2 --pivots 30 --decay 2 --cert "$d/teacher.gram.json" --plot "$d/teacher-gram.svg"
r check "$d/teacher.gram.json" --instance "$d/teacher.json"
r nystrom "$d/teacher.json" --kernel poly:2 --test "$d/teacher-test.json" --landmarks 28 --plot "$d/teacher-nystrom.svg"
# filtered PCA needs more points: written to a temporary directory, only the plot is kept
tmp=$(mktemp -d)
r teacher --depth 2 --width 3 --dim 10 --samples 4000 --seed 2 -o "$tmp/pca.json"
r subspace "$tmp/pca.json" --teacher "$tmp/pca.teacher.json" --sizes 250,500,1000,2000,4000 --plot "$d/subspace-angles.svg"
rm -r "$tmp"
