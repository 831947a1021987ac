#!/usr/bin/env python3
# vcdshow.py FILE.vcd SIGNAL...: the values of the named signals (suffix match) per step
import sys
def main():
    path, names = sys.argv[1], sys.argv[2:]
    ids, scope, vals, cur, t = {}, [], {}, {}, None
    rows = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w: continue
            if w[0] == '$scope': scope.append(w[2])
            elif w[0] == '$upscope': scope.pop()
            elif w[0] == '$var':
                full = '.'.join(scope[1:] + [w[4]])
                for n in names:
                    if full == n or full.endswith('.' + n) or full.endswith(n):
                        ids.setdefault(w[3], []).append(n)
            elif w[0].startswith('#'):
                if t is not None: rows.append((t, dict(cur)))
                t = int(w[0][1:])
            elif w[0][0] in 'bB' and len(w) > 1 and w[1] in ids:
                for n in ids[w[1]]: cur[n] = hex(int(w[0][1:], 2)) if 'x' not in w[0] else w[0]
            elif w[0][0] in '01xz' and w[0][1:] in ids:
                for n in ids[w[0][1:]]: cur[n] = w[0][0]
    if t is not None: rows.append((t, dict(cur)))
    print('t\t' + '\t'.join(names))
    for t, c in rows:
        print(f'{t}\t' + '\t'.join(str(c.get(n, '-')) for n in names))
main()
