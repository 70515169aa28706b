#!/bin/bash
# Copyright 2026 The cyclegc Authors.
#
# gc::Make rejects at compile time a type whose Trace does not override
# gc::Object::Trace (declared const, or with another parameter): such an
# object would be tracked but never traced. Compiles small programs with the
# system compiler against the public headers and checks the diagnostic.
set -u
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
cxx="${CXX:-g++}"
failures=0

compile() {  # $1: the class body's Trace declaration
  "$cxx" -std=c++20 -fsyntax-only -I "$root/include" -x c++ - 2>&1 <<EOF
#include "gc/gc.h"
class Mistake : public gc::Object {
 public:
  $1
  gc::Ref<Mistake> next;
};
void MakeOne() { gc::Ref<Mistake> m = gc::Make<Mistake>(); }
EOF
}

expect_rejected() {
  local out
  if out=$(compile "$1"); then
    echo "FAIL: compiled: $1"
    failures=$((failures + 1))
  elif ! grep -q "T::Trace does not override gc::Object::Trace" <<<"$out"; then
    echo "FAIL: no clear diagnostic for: $1"
    echo "$out" | head -20
    failures=$((failures + 1))
  else
    echo "ok: rejected: $1"
  fi
}

expect_rejected 'void Trace(gc::Visitor& v) const { (void)v; }'
expect_rejected 'void Trace(gc::Visitor* v) { (void)v; }'
expect_rejected 'int Trace(gc::Visitor& v) { (void)v; return 0; }'

# The right declaration compiles (the test would pass vacuously otherwise).
if out=$(compile 'void Trace(gc::Visitor& v) override { v.Visit(next); }'); then
  echo "ok: compiled: the override"
else
  echo "FAIL: the right Trace does not compile:"
  echo "$out" | head -20
  failures=$((failures + 1))
fi
exit $((failures > 0))
