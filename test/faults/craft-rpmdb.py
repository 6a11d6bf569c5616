#!/usr/bin/env python3
"""Writes rpmdb.sqlite files crafted to be slow or hostile to read, built from a real rpm sqlite DB.

usage: craft-rpmdb.py REAL_RPMDB_SQLITE KIND OUT [N]
  view       Packages is a VIEW over an endless recursive query (a reader that selects from it never ends)
  generated  Packages.blob is a generated column computing a ~900 MB zeroblob per row
  many-rows  the real rows, then N junk rows (16-byte blobs) and a trigger; N defaults to 1,000,000
  huge-blob  the real rows, then one row whose blob is N MiB of zeros (default 200)
  cycle      the real rows in 512-byte pages, then the Packages b-tree root's right child pointed at itself
  cycle-all  as cycle, and every child pointer of the root too: a walk that branches at each of 20 levels
"""
import os, sqlite3, struct, sys

real, kind, out = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else None
if os.path.exists(out):
    os.remove(out)
src = sqlite3.connect(real)
rows = src.execute('SELECT hnum, blob FROM Packages ORDER BY hnum').fetchall()
db = sqlite3.connect(out)
RPM_TABLE = 'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)'

if kind == 'view':
    db.executescript("""CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
                        SELECT x AS hnum, zeroblob(1000) AS blob FROM c;""")
elif kind == 'generated':
    db.executescript('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, seed INTEGER, blob BLOB AS (zeroblob(900000000 + seed)) VIRTUAL);')
    db.executemany('INSERT INTO Packages (hnum, seed) VALUES (?, ?)', [(i, i) for i in range(1, 11)])
elif kind == 'many-rows':
    db.execute(RPM_TABLE)
    db.executemany('INSERT INTO Packages VALUES (?, ?)', rows)
    db.execute('CREATE TABLE log (x)')
    db.execute('CREATE TRIGGER t AFTER INSERT ON Packages BEGIN INSERT INTO log VALUES (new.hnum); END')
    count = n or 1_000_000
    db.executemany('INSERT INTO Packages (blob) VALUES (?)', ((b'\x8e\xad\xe8\x01junk%08d' % i,) for i in range(count)))
elif kind == 'huge-blob':
    db.execute(RPM_TABLE)
    db.executemany('INSERT INTO Packages VALUES (?, ?)', rows)
    db.execute('INSERT INTO Packages (blob) VALUES (zeroblob(?))', ((n or 200) << 20,))
elif kind in ('cycle', 'cycle-all'):
    db.execute('PRAGMA page_size = 512')
    db.execute(RPM_TABLE)
    db.executemany('INSERT INTO Packages VALUES (?, ?)', rows)
    db.commit()
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'Packages'").fetchone()[0]
    db.close()
    with open(out, 'r+b') as f:
        off = (root - 1) * 512 + (100 if root == 1 else 0)
        f.seek(off)
        kind_byte = f.read(1)[0]
        if kind_byte != 0x05:
            sys.exit(f'Packages root page {root} is not an interior table page (type {kind_byte})')
        f.seek(off + 8)
        f.write(struct.pack('>I', root))  # right-most child = the page itself
        if kind == 'cycle-all':
            f.seek(off + 3)
            cells = struct.unpack('>H', f.read(2))[0]
            f.seek(off + 12)
            ptrs = struct.unpack('>%dH' % cells, f.read(2 * cells))
            for p in ptrs:  # an interior table cell starts with its 4-byte left child page number
                f.seek((root - 1) * 512 + p)
                f.write(struct.pack('>I', root))
    sys.exit(0)
else:
    sys.exit(f'unknown kind {kind}')
db.commit()
db.close()
