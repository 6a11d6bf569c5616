"""Print, as one JSON array, the OSV records of a zip (or folder of *.json) that name one of the given packages
in the given ecosystem (prefix match on the ecosystem, e.g. "Alpine:v3.10", "PyPI", "npm").
usage: osv-records.py ZIP_OR_DIR ECOSYSTEM NAME [NAME ...]"""
import json, os, sys, zipfile

src, eco, names = sys.argv[1], sys.argv[2], set(sys.argv[3:])

def norm(n):
    return n.lower().replace('_', '-').replace('.', '-') if eco == 'PyPI' else n

wanted = {norm(n) for n in names}

def records():
    if os.path.isdir(src):
        for f in sorted(os.listdir(src)):
            if f.endswith('.json'):
                with open(os.path.join(src, f), 'rb') as fh:
                    yield f, fh.read()
    else:
        with zipfile.ZipFile(src) as z:
            for n in sorted(z.namelist()):
                if n.endswith('.json'):
                    yield n, z.read(n)

out = []
for name, data in records():
    try:
        rec = json.loads(data)
    except ValueError:
        continue
    for a in rec.get('affected', []):
        p = a.get('package', {})
        if p.get('ecosystem', '') == eco and norm(p.get('name', '')) in wanted:
            rec['_file'] = name
            out.append(rec)
            break
json.dump(out, sys.stdout)
