#!/usr/bin/env python3
"""Checks the house rules the compiler does not: no import circles between
the source files of a crate, and no file over 600 lines of non-test code.

A file imports another when it names a path into it (`use crate::a::b`,
`crate::a::f()`, `super::x`, a child module by name). Names re-exported by a
parent module (`pub use a::Thing;`) lead to the file that defines them.
Non-test code is everything before the file's first `#[cfg(test)]`.
Exit 1 and say what is wrong if anything is.
"""

MAX_LINES = 600
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(src: Path):
    """Module path (tuple) -> file, for every file under src."""
    out = {}
    for f in src.rglob("*.rs"):
        rel = f.relative_to(src).with_suffix("")
        parts = list(rel.parts)
        if parts in (["lib"], ["main"]):
            parts = []
        elif parts[-1] == "mod":
            parts = parts[:-1]
        out[tuple(parts)] = f
    return out


def strip(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    # Inline test modules import their parent by design.
    i = text.find("#[cfg(test)]")
    return text if i < 0 else text[:i]


def flatten(group: str):
    """`a::{b, c::{d}}` -> ['a::b', 'a::c::d']."""
    group = group.strip()
    if not group.startswith("{"):
        m = re.match(r"([A-Za-z0-9_:]*)(::\{.*)?$", group, re.S)
        if m and m.group(2):
            return [m.group(1) + "::" + x for x in flatten(m.group(2)[2:])]
        return [group]
    inner = group[1:-1]
    items, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    out = []
    for it in items:
        it = it.strip()
        if it:
            out.extend(flatten(it))
    return out


def refs(text: str):
    """Paths after `crate::` and `super::`, flattened."""
    out = []
    for m in re.finditer(r"\b(crate|super)::(\{[^;]*?\}(?=\s*;)|[A-Za-z0-9_:]+(?:::\{[^;]*?\}(?=\s*;))?)", text, re.S):
        for p in flatten(m.group(2)):
            out.append((m.group(1), [x for x in re.split(r"::", p.split(" as ")[0].strip()) if x and x != "self"]))
    return out


def reexports(mods, texts):
    """(module, Name) -> module that defines it, from `pub use` lines."""
    out = {}
    for mod, f in mods.items():
        for m in re.finditer(r"pub use ([^;]+);", texts[f]):
            for p in flatten(m.group(1)):
                parts = [x for x in p.split(" as ")[0].strip().split("::") if x and x not in ("self", "crate")]
                if len(parts) >= 2 and tuple(mod + tuple(parts[:-1])) in mods:
                    name = p.split(" as ")[-1].strip().split("::")[-1]
                    out[(mod, name)] = mod + tuple(parts[:-1])
    return out


def target(mods, rex, base, path):
    """The file a path from module `base` lands in."""
    full = list(base) + path
    best = ()
    for n in range(len(full), -1, -1):
        if tuple(full[:n]) in mods:
            best = tuple(full[:n])
            break
    rest = full[len(best):]
    while rest and (best, rest[0]) in rex:
        best = rex[(best, rest[0])]
        rest = rest[1:]
        for n in range(len(rest), 0, -1):
            if best + tuple(rest[:n]) in mods:
                best = best + tuple(rest[:n])
                rest = rest[n:]
                break
    return best


def cycles(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def main():
    bad = 0
    for src in sorted(ROOT.glob("crates/*/src")):
        mods = modules(src)
        texts = {f: strip(f.read_text()) for f in mods.values()}
        rex = reexports(mods, texts)
        graph = {}
        for mod, f in mods.items():
            edges = graph.setdefault(f, set())
            children = [m[-1] for m in mods if len(m) == len(mod) + 1 and m[:-1] == mod]
            found = refs(texts[f])
            for child in children:
                for m in re.finditer(r"(?<![:\w])" + child + r"::", texts[f]):
                    found.append(("self", [child]))
            for kind, path in found:
                base = {"crate": (), "super": mod[:-1], "self": mod}[kind]
                t = mods.get(target(mods, rex, base, path))
                if t and t != f:
                    edges.add(t)
        for c in cycles(graph):
            bad += 1
            names = ", ".join(str(p.relative_to(ROOT)) for p in c)
            print(f"import circle: {names}")
        for f in sorted(mods.values()):
            text = f.read_text()
            i = text.find("#[cfg(test)]")
            n = (text if i < 0 else text[:i]).count("\n")
            if n > MAX_LINES:
                bad += 1
                print(f"{f.relative_to(ROOT)}: {n} lines of non-test code (at most {MAX_LINES}); split it by responsibility")
    if bad:
        sys.exit(1)
    print(f"no import circles between files, and no file over {MAX_LINES} lines")


if __name__ == "__main__":
    main()
