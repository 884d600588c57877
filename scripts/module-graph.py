#!/usr/bin/env python3
"""The import graph of wengao's top-level modules, checked against the
pipeline order in docs/architecture.md.

Every `crate::<module>` a file under src/<module>/ (or src/<module>.rs)
names outside its tests is an edge. A module may import only modules of a
lower layer or of its own layer; an import that points upwards, or a cycle
between modules, is reported and makes the exit status 1.

usage: scripts/module-graph.py [--dot]      (run from anywhere)
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

# Bottom to top, as docs/architecture.md draws them. Modules in one layer
# may use each other, but not in a cycle.
LAYERS = [
    # text and file basics every layer may use
    ["unicode", "words", "zh", "xml", "limits", "textfile", "diag", "script", "test_support"],
    # the document model and the fixed rules
    ["doc", "epoch", "style", "output"],
    # wengao.toml: the configuration types
    ["project"],
    # faces and pictures
    ["fonts", "chart", "image_source"],
    # data -> template -> markup -> Document
    ["data"],
    ["template"],
    ["markup"],
    ["lint"],
    # Document -> pages -> files
    ["layout"],
    ["write"],
    # one document's way through the pipeline, and the memory a long run
    # gives back; then many documents
    ["pipeline", "memory"],
    ["batch"],
    ["watch", "init", "serve"],
    ["cli"],
]
LAYER_OF = {m: i for i, layer in enumerate(LAYERS) for m in layer}

USE_RE = re.compile(r"\buse\s+crate::(\{[^;]*\}|[A-Za-z_][A-Za-z0-9_]*)", re.S)
PATH_RE = re.compile(r"(?<![A-Za-z0-9_:])crate::([A-Za-z_][A-Za-z0-9_]*)")


def module_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".rs")


def without_tests(text: str) -> str:
    """The file up to its `#[cfg(test)]` module, comments removed."""
    cut = re.search(r"^#\[cfg\(test\)\]", text, re.M)
    if cut:
        text = text[: cut.start()]
    text = re.sub(r"//[^\n]*", "", text)
    return text


def imported(text: str):
    names = set()
    for m in USE_RE.finditer(text):
        group = m.group(1)
        if group.startswith("{"):
            # use crate::{a, b::c, d::{e, f}}: the first segment of each path
            depth, item, items = 0, "", []
            for ch in group[1:-1]:
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                if ch == "," and depth == 0:
                    items.append(item)
                    item = ""
                else:
                    item += ch
            items.append(item)
            for it in items:
                first = it.strip().split("::")[0].strip()
                if first:
                    names.add(first)
        else:
            names.add(group)
    names.update(PATH_RE.findall(text))
    return names


def graph():
    edges = {}
    for path in sorted(SRC.rglob("*.rs")):
        if path.name in ("main.rs", "lib.rs") and path.parent == SRC:
            continue
        if path.name == "tests.rs" or path.name.endswith("_tests.rs") or "tests" in path.parts[len(SRC.parts):-1]:
            continue
        mod = module_of(path)
        for name in imported(without_tests(path.read_text(encoding="utf-8"))):
            is_module = (SRC / f"{name}.rs").exists() or (SRC / name / "mod.rs").exists()
            if name != mod and is_module:
                edges.setdefault(mod, {}).setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return edges


def cycles(edges):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, {})):
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

    nodes = set(edges) | {w for ws in edges.values() for w in ws}
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    edges = graph()
    if "--dot" in sys.argv:
        print("digraph wengao {")
        for a in sorted(edges):
            for b in sorted(edges[a]):
                print(f'  "{a}" -> "{b}";')
        print("}")
        return 0
    problems = 0
    nodes = sorted(set(edges) | {w for ws in edges.values() for w in ws})
    unknown = [m for m in nodes if m not in LAYER_OF]
    for m in unknown:
        print(f"module `{m}` has no layer: add it to LAYERS here and to docs/architecture.md")
        problems += 1
    for a in sorted(edges):
        for b, files in sorted(edges[a].items()):
            if a in LAYER_OF and b in LAYER_OF and LAYER_OF[b] > LAYER_OF[a]:
                print(f"upward import: {a} -> {b} ({', '.join(sorted(files))})")
                problems += 1
    for comp in cycles(edges):
        print(f"import cycle: {' <-> '.join(comp)}")
        problems += 1
    n_edges = sum(len(v) for v in edges.values())
    print(f"{len(nodes)} modules, {n_edges} imports, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
