#!/usr/bin/env python3
# Copyright 2026 The cyclegc Authors.
"""The CPython peer: bench/workloads.h's workloads in Python, same shapes.

    python3 bench/peer_cpython.py default WORKLOAD [N]

Runs one workload with the gc module's defaults (thresholds 700, 10, 10) and
prints one JSON line, as the C++ peers do (bench/peer_main.h). Node classes
use __slots__ (the cheapest plain-Python node). Collections are timed by a
gc.callbacks hook; the final clean-up collection is booked apart. Workload
times are process CPU time (time.process_time), pauses and workload 6's young
collections the monotonic clock (time.perf_counter), as in the C++ peers
(PauseSeconds in bench/workloads.h).
"""

import gc
import json
import sys
import time

MASK = (1 << 64) - 1


class Rng:
    """splitmix64, the same sequence as bench::Rng."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n


class Pauses:
    collections = 0
    max_ms = 0.0
    total_ms = 0.0
    final_ms = 0.0
    final_phase = False
    _start = 0.0

    @classmethod
    def callback(cls, phase, _info):
        if phase == "start":
            cls._start = time.perf_counter()
            return
        ms = (time.perf_counter() - cls._start) * 1e3
        cls.collections += 1
        cls.total_ms += ms
        if cls.final_phase:
            cls.final_ms += ms
        else:
            cls.max_ms = max(cls.max_ms, ms)


class TreeNode:
    __slots__ = ("parent", "children")

    def __init__(self):
        self.parent = None
        self.children = []


class BinNode:
    __slots__ = ("parent", "left", "right")

    def __init__(self):
        self.parent = self.left = self.right = None


class ListNode:
    __slots__ = ("next", "prev")

    def __init__(self):
        self.next = self.prev = None


class GraphNode:
    __slots__ = ("edges",)

    def __init__(self):
        self.edges = []


class Leaf:
    __slots__ = ("payload",)

    def __init__(self):
        self.payload = 0


def final_collect():
    Pauses.final_phase = True
    start = time.process_time()
    gc.collect()
    Pauses.final_phase = False
    return (time.process_time() - start) * 1e3


def churn_result(start, nodes):
    """Ends a churn workload: the final clean-up collection, inside the timing."""
    final_ms = final_collect()
    return result(time.process_time() - start, final_gc_ms=final_ms,
                  nodes=nodes)


def result(time_s, figure=None, unit="s", **extra):
    return {"time_s": time_s, "figure": time_s if figure is None else figure,
            "unit": unit, "extra": extra}


# 1. Tree churn ---------------------------------------------------------------

def grow_tree(tree):
    stack = []
    for _ in range(6):
        top = TreeNode()
        tree.append(top)
        stack.append((top, 1))
    while stack:
        node, depth = stack.pop()
        if depth == 5:
            continue
        for _ in range(6):
            child = TreeNode()
            child.parent = node
            node.children.append(child)
            stack.append((child, depth + 1))


def tree_churn(_n):
    start = time.process_time()
    for n in range(20):
        for _ in range(n):
            tree = []
            grow_tree(tree)
            del tree
    return churn_result(start, 190 * 9330)


# 2. Binary trees with parent pointers ----------------------------------------

def binary_tree(depth):
    root = BinNode()
    level = [root]
    for _ in range(depth):
        nxt = []
        for node in level:
            left = BinNode()
            left.parent = node
            node.left = left
            right = BinNode()
            right.parent = node
            node.right = right
            nxt.append(left)
            nxt.append(right)
        level = nxt
    return root


def check(root):
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        count += 1
        if node.left is not None:
            stack.append(node.left)
        if node.right is not None:
            stack.append(node.right)
    return count


def binary_trees(max_depth):
    min_depth = 4
    start = time.process_time()
    checked = check(binary_tree(max_depth + 1))
    long_lived = binary_tree(max_depth)
    for d in range(min_depth, max_depth + 1, 2):
        for _ in range(1 << (max_depth - d + min_depth)):
            checked += check(binary_tree(d))
    checked += check(long_lived)
    del long_lived
    return churn_result(start, checked)


# 3. Random graph churn -------------------------------------------------------

def walk(roots, rng):
    node = roots[rng.below(50)]
    if node is None:
        return None
    for _ in range(rng.below(4)):
        if not node.edges:
            break
        node = node.edges[rng.below(len(node.edges))]
    return node


def graph_churn(ops):
    start = time.process_time()
    rng = Rng(42)
    roots = [GraphNode() for _ in range(50)]
    allocated = 50
    for _ in range(ops):
        op = rng.below(4)
        if op == 0:
            slot = rng.below(50)
            if roots[slot] is None:
                roots[slot] = GraphNode()
            else:
                roots[slot].edges.append(GraphNode())
            allocated += 1
        elif op == 1:
            a = walk(roots, rng)
            b = walk(roots, rng)
            if a is not None and b is not None:
                a.edges.append(b)
        elif op == 2:
            roots[rng.below(50)] = None
        else:
            node = walk(roots, rng)
            if node is None or not node.edges:
                continue
            edges = node.edges
            i = rng.below(len(edges))
            edges[i] = edges[-1]
            edges.pop()
    roots = None
    return churn_result(start, allocated)


# 4. Doubly linked lists ------------------------------------------------------

def linked_lists(_n):
    start = time.process_time()
    for _ in range(30):
        head = tail = ListNode()
        for _ in range(4095):
            node = ListNode()
            tail.next = node
            node.prev = tail
            tail = node
        head = tail = node = None
    return churn_result(start, 30 * 4096)


# 5. Full collection of a live heap, and of garbage 2-cycles ------------------

def live_tree(n):
    root = TreeNode()
    queue = [root]
    nxt = 0
    while len(queue) < n:
        parent = queue[nxt]
        nxt += 1
        for _ in range(6):
            if len(queue) >= n:
                break
            child = TreeNode()
            child.parent = parent
            parent.children.append(child)
            queue.append(child)
    return root


SHUFFLE_SEED = 7
SHUFFLED_HELD = 8


def shuffled_live_tree(n):
    """live_tree's shape, its nodes made first and linked in random order
    (bench::ShuffledLiveTree): the root and 7 random nodes held."""
    nodes = [TreeNode() for _ in range(n)]
    rng = Rng(SHUFFLE_SEED)
    for i in range(n - 1, 0, -1):
        j = rng.below(i + 1)
        nodes[i], nodes[j] = nodes[j], nodes[i]
    for i in range(1, n):
        parent = nodes[(i - 1) // 6]
        nodes[i].parent = parent
        parent.children.append(nodes[i])
    return [nodes[0]] + [nodes[rng.below(n)]
                         for _ in range(SHUFFLED_HELD - 1)]


def median_collect(runs):
    times = []
    for _ in range(runs):
        start = time.process_time()
        gc.collect()
        times.append(time.process_time() - start)
    return sorted(times)[runs // 2]


def full_live(n, build=live_tree):
    """A full collection of the live heap `build(n)` makes, median of 3."""
    gc.disable()
    held = build(n)
    gc.enable()
    seconds = median_collect(3)
    del held
    return result(seconds, seconds * 1e9 / n, "ns/object")


def full_live_shuffled(n):
    return full_live(n, shuffled_live_tree)


def make_pairs(pairs):
    for _ in range(pairs):
        a = ListNode()
        b = ListNode()
        a.next = b
        b.next = a


def cycles(n):
    gc.disable()
    make_pairs(n // 2)
    gc.enable()
    start = time.process_time()
    gc.collect()
    seconds = time.process_time() - start
    return result(seconds, seconds * 1e9 / n, "ns/object")


# 6. Young collection next to an old heap ---------------------------------------

def young(old):
    rounds, total, longest, longest_drop = 15000, 0.0, 0.0, 0.0
    gc.disable()
    old_root = live_tree(old) if old > 0 else None
    ring = [ListNode() for _ in range(700)]
    gc.collect()  # the old heap moves to the oldest generation
    Pauses.collections = 0
    Pauses.max_ms = Pauses.total_ms = 0.0
    wall = time.perf_counter  # see YoungNextToOld in workloads.h
    for _ in range(rounds):
        for group in range(0, 700, 35):
            longest_wall = 0.0
            group_start = time.process_time()
            for i in range(group, group + 35):
                start = wall()
                ring[i] = None  # dies
                longest_wall = max(longest_wall, wall() - start)
                ring[i] = ListNode()
            longest_drop = max(longest_drop, min(
                longest_wall, time.process_time() - group_start))
        make_pairs(350)
        start = time.perf_counter()
        gc.collect(0)
        seconds = time.perf_counter() - start
        total += seconds
        longest = max(longest, seconds)
    gc.enable()
    del old_root
    return result(total, total * 1e6 / rounds, "us/collection",
                  longest_us=longest * 1e6, longest_drop_us=longest_drop * 1e6)


# 7. Acyclic allocate-and-drop --------------------------------------------------

def acyclic(n):
    start = time.process_time()
    total = 0
    for i in range(n):
        leaf = Leaf()
        leaf.payload = i
        total += leaf.payload
    seconds = time.process_time() - start
    return result(seconds, seconds * 1e9 / n, "ns/op")


WORKLOADS = {
    "tree_churn": (tree_churn, 0),
    "binary_trees": (binary_trees, 16),
    "graph_churn": (graph_churn, 1000000),
    "linked_lists": (linked_lists, 0),
    "full_live": (full_live, 1000000),
    "full_live_shuffled": (full_live_shuffled, 1000000),
    "cycles": (cycles, 1000000),
    "young": (young, 0),
    "acyclic": (acyclic, 10000000),
}


def peak_rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main(argv):
    if len(argv) not in (3, 4) or argv[2] not in WORKLOADS:
        sys.stderr.write("usage: peer_cpython.py VARIANT WORKLOAD [N]\n")
        return 2
    workload = argv[2]
    function, default_n = WORKLOADS[workload]
    n = int(argv[3]) if len(argv) == 4 else default_n
    gc.callbacks.append(Pauses.callback)
    out = function(n)
    record = {"peer": "cpython", "workload": workload, "n": n}
    record.update(time_s=out["time_s"], figure=out["figure"], unit=out["unit"],
                  peak_rss_kb=peak_rss_kb(), max_pause_ms=Pauses.max_ms,
                  collections=Pauses.collections, gc_total_ms=Pauses.total_ms,
                  extra=out["extra"])
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
