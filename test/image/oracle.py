#!/usr/bin/env python3
"""Independent oracle for the image reader tests (Python stdlib tarfile, written separately from the TS code).

usage: oracle.py ARCHIVE [WANTED_PATH ...]
Prints JSON: format, refs, layer count, per-layer created_by (history, empty_layer skipped), config os/arch,
the final merged file list ("<type> <path>", whiteouts and opaque folders applied, implicit parents added) and
sha256 of the wanted paths' final bodies.
"""
import gzip, hashlib, io, json, os, sys, tarfile

try:
    import zstandard  # optional
except ImportError:  # pragma: no cover
    zstandard = None


def open_outer(path):
    raw = open(path, 'rb').read()
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    t = tarfile.open(fileobj=io.BytesIO(raw))
    members = {}
    links = {}
    for m in t.getmembers():
        name = m.name.lstrip('./') if m.name.startswith('./') else m.name
        if m.isfile():
            members[name] = t.extractfile(m).read()
        elif m.issym():
            base = name.rsplit('/', 1)[0] if '/' in name else ''
            links[name] = norm((base + '/' if base else '') + m.linkname)
    def get(p):
        p = norm(p)
        for _ in range(10):
            if p in members:
                return members[p]
            if p in links:
                p = links[p]
            else:
                return None
        return None
    return get, members


def norm(p):
    out = []
    for part in p.split('/'):
        if part in ('', '.'):
            continue
        if part == '..':
            if not out:
                return None
            out.pop()
        else:
            out.append(part)
    return '/'.join(out)


def layer_tar(data):
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    elif data[:4] == b'\x28\xb5\x2f\xfd':
        import subprocess
        data = subprocess.run(['zstd', '-d', '-c'], input=data, capture_output=True, check=True).stdout
    return tarfile.open(fileobj=io.BytesIO(data))


def kind(m):
    if m.isdir():
        return 'dir'
    if m.issym():
        return 'symlink'
    if m.islnk():
        return 'hardlink'
    if m.isfile():
        return 'file'
    return 'other'


def main():
    path, wanted = sys.argv[1], sys.argv[2:]
    # a wanted entry ending in '/' wants every file under that folder
    prefixes = [w for w in wanted if w.endswith('/')]

    def is_wanted(n):
        return n in wanted or any(n.startswith(p) for p in prefixes)

    get, members = open_outer(path)
    if 'manifest.json' in members:
        man = json.loads(members['manifest.json'])[0]
        fmt = 'docker-oci-archive' if 'index.json' in members and 'oci-layout' in members else 'docker-archive'
        cfg = json.loads(get(man['Config']))
        layers = [get(l) for l in man['Layers']]
        refs = man.get('RepoTags') or []
    else:
        idx = json.loads(members['index.json'])
        d = idx['manifests'][0]
        mf = json.loads(get('blobs/' + d['digest'].replace(':', '/')))
        cfg = json.loads(get('blobs/' + mf['config']['digest'].replace(':', '/')))
        layers = [get('blobs/' + l['digest'].replace(':', '/')) for l in mf['layers']]
        fmt = 'oci-archive'
        refs = [v for k, v in (d.get('annotations') or {}).items() if k.endswith('ref.name')]
    hist = [h.get('created_by') for h in cfg.get('history', []) if not h.get('empty_layer')]
    # the merged view: path -> (type, body)
    fs = {}

    def remove_tree(p):
        for k in [k for k in fs if k == p or k.startswith(p + '/')]:
            del fs[k]

    for data in layers:
        t = layer_tar(data)
        ms = t.getmembers()
        for m in ms:  # whiteouts first: they hide lower layers only
            n = norm(m.name)
            if not n:
                continue
            base = n.rsplit('/', 1)[-1]
            parent = n.rsplit('/', 1)[0] if '/' in n else ''
            if base == '.wh..wh..opq':
                for k in [k for k in fs if k.startswith(parent + '/' if parent else '')]:
                    if k != parent:
                        del fs[k]
            elif base.startswith('.wh.') and not base.startswith('.wh..wh.'):
                remove_tree((parent + '/' if parent else '') + base[4:])
        for m in ms:
            n = norm(m.name)
            if not n:
                continue
            base = n.rsplit('/', 1)[-1]
            if base.startswith('.wh.'):
                continue
            k = kind(m)
            parts = n.split('/')
            for i in range(1, len(parts)):
                d = '/'.join(parts[:i])
                if d not in fs or fs[d][0] != 'dir':
                    remove_tree(d)
                    fs[d] = ('dir', None)
            if k == 'dir' and n in fs and fs[n][0] == 'dir':
                continue
            if k == 'hardlink':
                tgt = norm(m.linkname)
                if tgt is None or tgt not in fs or fs[tgt][0] not in ('file', 'hardlink'):
                    continue
                body = fs[tgt][1]
            elif k == 'file':
                body = t.extractfile(m).read() if is_wanted(n) else None
            else:
                body = None
            remove_tree(n)
            fs[n] = (k, body)
    out = {
        'format': fmt,
        'refs': refs,
        'layers': len(layers),
        'created_by': hist[:len(layers)],
        'os': cfg.get('os'),
        'architecture': cfg.get('architecture'),
        'files': sorted(f'{v[0]} {k}' for k, v in fs.items()),
        'bodies': {w: hashlib.sha256(fs[w][1]).hexdigest() for w in wanted if w in fs and fs[w][1] is not None},
    }
    dump = os.environ.get('ORACLE_DUMP_DIR')
    if dump:  # write the final bodies of the wanted files under DUMP (an extracted subset of the image)
        for k, v in fs.items():
            if v[1] is not None and is_wanted(k):
                dest = os.path.join(dump, k)
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                with open(dest, 'wb') as f:
                    f.write(v[1])
    json.dump(out, sys.stdout)


main()
