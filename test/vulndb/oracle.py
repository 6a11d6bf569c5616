#!/usr/bin/env python3
"""Independent oracle for the vulnerability DB tests: reads OSV zips with Python's zipfile and json.

  oracle.py counts ZIP...              -> {"<zip>": {"files": N, "ecosystems": {"Debian:12": distinct ids, ...}}}
  oracle.py lookup ECO NAME ZIP...     -> sorted ids of records with an affected package (ECO, NAME)
  oracle.py index ECO ZIP...           -> {"<normalised name>": sorted ids, ...} for every package named in ECO

PyPI names are compared with packaging.utils.canonicalize_name (PEP 503), the reference implementation.
A record id counts for an ecosystem when one of its affected[] entries names a package in it (the same id in
several files, as in AlmaLinux's per-release folders, counts once).
"""
import json
import sys
import zipfile

from packaging.utils import canonicalize_name


def records(path):
    with zipfile.ZipFile(path) as zf:
        for n in zf.namelist():
            if n.endswith('.json'):
                yield n, json.loads(zf.read(n))


def norm(eco, name):
    base = eco.split(':', 1)[0]
    if base == 'PyPI':
        return canonicalize_name(name)
    return name


def main():
    cmd = sys.argv[1]
    if cmd == 'counts':
        out = {}
        for z in sys.argv[2:]:
            files = 0
            ecos = {}
            for _, d in records(z):
                files += 1
                seen = set()
                for a in d.get('affected') or []:
                    p = a.get('package') or {}
                    if p.get('ecosystem') and p.get('name'):
                        seen.add(p['ecosystem'])
                for e in seen:
                    ecos.setdefault(e, set()).add(d['id'])
            out[z] = {'files': files, 'ecosystems': {e: len(ids) for e, ids in ecos.items()}}
        print(json.dumps(out))
    elif cmd == 'lookup':
        eco, name = sys.argv[2], sys.argv[3]
        ids = set()
        for z in sys.argv[4:]:
            for _, d in records(z):
                for a in d.get('affected') or []:
                    p = a.get('package') or {}
                    if p.get('ecosystem') == eco and p.get('name') and norm(eco, p['name']) == norm(eco, name):
                        ids.add(d['id'])
        print(json.dumps(sorted(ids)))
    elif cmd == 'index':
        eco = sys.argv[2]
        index = {}
        for z in sys.argv[3:]:
            for _, d in records(z):
                for a in d.get('affected') or []:
                    p = a.get('package') or {}
                    if p.get('ecosystem') == eco and p.get('name'):
                        index.setdefault(norm(eco, p['name']), set()).add(d['id'])
        print(json.dumps({n: sorted(ids) for n, ids in index.items()}))
    else:
        sys.exit('unknown command ' + cmd)


if __name__ == '__main__':
    main()
