#!/usr/bin/env python3
"""What the training thread does while the other core waits, from a perf recording of StepLoop.

    DNNL_JIT_PROFILE=2 java -cp "$CP" dev.trainyard.bench.experiments.StepLoop 16 > steps.log &
    # once steps.log has its "warm pid" line:
    perf record -F 299 -g -p <pid> -o step.perf -- sleep 12
    perf script -i step.perf -F tid,time,ip,sym,dso > step.txt    # while /tmp/perf-<pid>.map still exists
    docs/experiments/perf-step-threads.py step.txt

DNNL_JIT_PROFILE=2 makes oneDNN name its generated kernels in /tmp/perf-<pid>.map; anything else in
anonymous memory is the JVM's compiled Java. The two busiest threads are the training thread (the
one with Java frames) and the OpenMP worker. A sample whose innermost frame is in libgomp is a
thread waiting for the other at the edge of a parallel region.
"""
import bisect
import collections
import re
import sys


def read(path):
    samples, cur = [], None
    for line in open(path, errors='replace'):
        if not line.strip():
            if cur:
                samples.append(cur)
            cur = None
            continue
        head = re.match(r'^\s*(\d+)\s+([\d.]+):', line)
        if head and not line.startswith('\t'):
            cur = {'tid': head.group(1), 't': float(head.group(2)), 'frames': []}
            continue
        frame = re.match(r'\s*[0-9a-f]+ (.*) \((.*)\)$', line.rstrip())
        if frame and cur is not None:
            cur['frames'].append((frame.group(1), frame.group(2)))
    if cur:
        samples.append(cur)
    return samples


ONEDNN = re.compile(r'jit|brg|wino|gemm|gemv|kern|reorder')


def kind(sample):
    if not sample['frames']:
        return 'none'
    sym, dso = sample['frames'][0]
    if 'libgomp' in dso:
        return 'waiting (libgomp)'
    if 'perf-' in dso and ONEDNN.search(sym) and not re.search(r'\b(org|java|dev)\.', sym):
        return 'oneDNN kernel: ' + re.sub(r'_t$|_f32.*|_kern.*', '', sym.split()[0])[:32]
    if 'kallsyms' in dso:
        return 'kernel (page faults, syscalls)'
    if any('dnnl' in s for s, _ in sample['frames']):
        return 'oneDNN, outside its kernels'
    if 'libnd4j' in dso:
        return 'libnd4j element-wise ops'
    if 'libjvm' in dso:
        return 'JVM runtime'
    if 'libc' in dso:
        return 'libc (' + ('copy' if 'mem' in sym else 'malloc/free' if 'alloc' in sym or 'free' in sym or 'chunk' in sym else sym[:20]) + ')'
    if 'perf-' in dso or sym == '[unknown]':
        return 'Java (compiled or interpreted)'
    return dso.split('/')[-1][:24]


def main(path):
    samples = [s for s in read(path) if s['frames']]
    by_tid = collections.Counter(s['tid'] for s in samples)
    a, b = [t for t, _ in by_tid.most_common(2)]
    java = lambda tid: sum(kind(s).startswith('Java') for s in samples if s['tid'] == tid)
    main_tid, worker = (a, b) if java(a) >= java(b) else (b, a)
    for label, tid in (('training thread', main_tid), ('OpenMP worker', worker)):
        mine = [s for s in samples if s['tid'] == tid]
        print(f'{label} ({len(mine)} samples):')
        shares = collections.Counter(kind(s).split(':')[0] for s in mine)
        for k, v in shares.most_common(8):
            print(f'  {100 * v / len(mine):5.1f}%  {k}')
    main_samples = sorted(((s['t'], s) for s in samples if s['tid'] == main_tid), key=lambda p: p[0])
    times = [t for t, _ in main_samples]
    during = collections.Counter()
    waits = [s for s in samples if s['tid'] == worker and kind(s) == 'waiting (libgomp)']
    for s in waits:
        i = bisect.bisect_left(times, s['t'])
        near = [j for j in (i - 1, i) if 0 <= j < len(times) and abs(times[j] - s['t']) < 0.002]
        if not near:
            during['(no training-thread sample within 2 ms)'] += 1
            continue
        j = min(near, key=lambda j: abs(times[j] - s['t']))
        during[kind(main_samples[j][1])] += 1
    print(f'while the worker waits ({len(waits)} samples), the training thread is in:')
    for k, v in during.most_common(14):
        print(f'  {100 * v / len(waits):5.1f}%  {k}')


if __name__ == '__main__':
    main(sys.argv[1])
