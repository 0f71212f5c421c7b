"""Persistent user tables (schema ``user_<login>``) and their sharing, as ESA TAP+ keeps them.

Metadata lives in the server state database (``state.py`` migration 3: ``user_table``, ``share_group``,
``share_group_user``, ``share_item``, ``share_relation``); rows live in one Parquet file per table
under ``ARCHIVE/state/user_tables/<owner>/``. The catalog store stays read-only: a query that
names a user table gets it registered on its own cursor (an Arrow view), so ADQL sees
``user_<owner>.<table>`` only for the owner and for users it is shared with.

Upload rules follow ESA's servlet: column names lower-cased and made regular (duplicates get
``_2``, ``_3``), and a primary key ``<table>_oid`` (flags 16) is added.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jwstarchive.catalog.tables import Column, Table
from jwstarchive.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

    from jwstarchive.server.state import StateDB

__all__ = ["SharedGroup", "SharedItem", "UserTables", "user_schema"]

log = logging.getLogger(__name__)

SCHEMA_PREFIX = "user_"
PK_FLAG = 16
_REGULAR = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FLAG_NAMES = {"ra": 1, "dec": 2, "flux": 4, "mag": 8, "pk": 16}


def user_schema(user: str) -> str:
    """The private schema of ``user``."""
    return SCHEMA_PREFIX + user


def _column_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9_]", "_", name.strip().lower()) or "col"
    if not base[0].isalpha():
        base = "col" + base
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    taken.add(candidate)
    return candidate


def parse_flags(value: str | None) -> int:
    """ESA flag text (``Ra``, ``Dec``, ``Flux``, ``Mag``, ``PK``, a number, a comma list) → bits."""
    total = 0
    for part in (value or "").split(","):
        word = part.strip().lower()
        if word.isdigit():
            total += int(word)
        else:
            total += _FLAG_NAMES.get(word, 0)
    return total


@dataclass(frozen=True)
class SharedGroup:
    """A sharing group: id, title, description, owner and members."""

    group_id: str
    owner: str
    title: str
    description: str
    users: tuple[str, ...]


@dataclass(frozen=True)
class SharedItem:
    """A shared table (type 0) and who it is shared with: (shareTo, Group|User, Read|Write)."""

    item_id: str
    owner: str
    title: str
    description: str
    relations: tuple[tuple[str, str, str], ...]


class UserTables:
    """User tables and sharing for one archive.

    Parameters
    ----------
    db
        The server state database.
    directory
        Where the Parquet files go (``ARCHIVE/state/user_tables``).
    """

    def __init__(self, db: StateDB, directory: Path) -> None:
        self.db = db
        self.directory = Path(directory)
        self._arrow: dict[str, tuple[float, pa.Table]] = {}

    # --- tables ----------------------------------------------------------------------------------

    def _row(self, owner: str, name: str) -> Any:
        rows = self.db.query("SELECT * FROM user_table WHERE owner = ? AND lower(name) = lower(?)", (owner, name))
        return rows[0] if rows else None

    def create(self, owner: str, name: str, description: str, arrow: pa.Table, columns: tuple[Column, ...]) -> Table:
        """Store an uploaded table as ``user_<owner>.<name>`` (renamed columns, ``<name>_oid`` added).

        Raises
        ------
        InputError
            For a name that is not a regular identifier or is already taken.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not _REGULAR.match(name or ""):
            raise InputError(
                f"table name {name!r} is not allowed: use letters, digits and '_', starting with a letter (no schema)"
            )
        if self._row(owner, name) is not None:
            raise InputError(
                f"table {user_schema(owner)}.{name} already exists: delete it first or choose another name"
            )
        taken: set[str] = {f"{name.lower()}_oid"}
        meta: list[dict[str, Any]] = [
            {
                "name": f"{name.lower()}_oid",
                "datatype": "long",
                "description": "Object Identifier",
                "flags": PK_FLAG,
                "indexed": True,
                "principal": True,
            }
        ]
        arrays = [pa.array(range(1, arrow.num_rows + 1), pa.int64())]
        for col, array in zip(columns, arrow.columns, strict=True):
            new = _column_name(col.name, taken)
            meta.append(
                {
                    "name": new,
                    "datatype": col.datatype,
                    "arraysize": col.arraysize,
                    "xtype": col.xtype,
                    "unit": col.unit,
                    "ucd": col.ucd,
                    "utype": col.utype,
                    "description": col.description,
                    "flags": 0,
                    "indexed": False,
                    "principal": False,
                }
            )
            arrays.append(array)
        table = pa.Table.from_arrays(arrays, names=[m["name"] for m in meta])
        folder = self.directory / owner
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.parquet"
        pq.write_table(table, path)
        self.db.execute(
            "INSERT INTO user_table (owner, name, description, nrows, nbytes, columns, file, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (owner, name, description, table.num_rows, path.stat().st_size, json.dumps(meta), path.name, time.time()),
        )
        log.info("user table %s.%s: %d rows", user_schema(owner), name, table.num_rows)
        found = self.table(owner, name)
        assert found is not None
        return found

    def delete(self, owner: str, name: str) -> None:
        """Drop ``user_<owner>.<name>`` (a leading ``user_<owner>.`` is accepted) and its share items.

        Raises
        ------
        InputError
            When the table does not exist or names another user's schema.
        """
        bare = self._own_name(owner, name)
        row = self._row(owner, bare)
        if row is None:
            raise InputError(f"table {user_schema(owner)}.{bare} does not exist")
        qualified = f"{user_schema(owner)}.{row['name']}"
        with self.db.transaction() as con:
            con.execute("DELETE FROM user_table WHERE owner = ? AND name = ?", (owner, row["name"]))
            sql = "SELECT item_id FROM share_item WHERE lower(title) = lower(?)"
            items = [r[0] for r in con.execute(sql, (qualified,))]
            for item in items:
                con.execute("DELETE FROM share_relation WHERE item_id = ?", (item,))
                con.execute("DELETE FROM share_item WHERE item_id = ?", (item,))
        (self.directory / owner / row["file"]).unlink(missing_ok=True)
        self._arrow.pop(row["file"], None)

    @staticmethod
    def _own_name(owner: str, name: str) -> str:
        schema, dot, bare = name.strip().rpartition(".")
        if dot and schema.strip('"').lower() != user_schema(owner).lower():
            raise InputError(f"table {name!r} is not in your schema {user_schema(owner)}")
        return bare.strip('"')

    def _describe(self, row: Any) -> Table:
        meta = json.loads(row["columns"])
        columns = tuple(
            Column(
                name=m["name"],
                datatype=m.get("datatype") or "char",
                arraysize=m.get("arraysize"),
                xtype=m.get("xtype"),
                unit=m.get("unit"),
                ucd=m.get("ucd"),
                utype=m.get("utype"),
                description=m.get("description") or "",
                principal=bool(m.get("principal")),
                indexed=bool(m.get("indexed")),
            )
            for m in meta
        )
        extra = {f"flags.{m['name']}": str(m.get("flags", 0)) for m in meta}
        extra.update({"size": str(row["nrows"]), "size_bytes": str(row["nbytes"]), "file": row["file"]})
        return Table(
            schema=user_schema(row["owner"]),
            name=row["name"],
            columns=columns,
            description=row["description"] or "",
            table_type="table",
            relation=f'"ut_{row["file"].split(".")[0]}"',
            owner=row["owner"],
            extra=extra,
        )

    def table(self, owner: str, name: str) -> Table | None:
        """The table ``user_<owner>.<name>``, or None."""
        row = self._row(owner, name)
        return self._describe(row) if row is not None else None

    def owned(self, owner: str) -> list[Table]:
        """The tables in ``user_<owner>``, by name."""
        rows = self.db.query("SELECT * FROM user_table WHERE owner = ? ORDER BY lower(name)", (owner,))
        return [self._describe(r) for r in rows]

    def shared_with(self, user: str) -> list[Table]:
        """Other users' tables shared with ``user`` (directly or through a group they belong to)."""
        rows = self.db.query(
            "SELECT DISTINCT i.title FROM share_item i JOIN share_relation r USING (item_id) "
            "WHERE i.owner <> ? AND ((r.share_type = 'User' AND r.share_to = ?) OR (r.share_type = 'Group' AND "
            "r.share_to IN (SELECT group_id FROM share_group_user WHERE user = ?)))",
            (user, user, user),
        )
        found: list[Table] = []
        for r in rows:
            schema, _, name = r["title"].partition(".")
            if schema.lower().startswith(SCHEMA_PREFIX):
                table = self.table(schema[len(SCHEMA_PREFIX) :], name)
                if table is not None:
                    found.append(table)
        return found

    def visible(self, user: str | None) -> list[Table]:
        """What ADQL may read for ``user``: their own tables and those shared with them."""
        if not user:
            return []
        return self.owned(user) + self.shared_with(user)

    def arrow(self, table: Table) -> pa.Table:
        """The rows of a user table (read once, kept while the file is unchanged)."""
        import pyarrow.parquet as pq

        assert table.owner is not None
        path = self.directory / table.owner / table.extra["file"]
        mtime = path.stat().st_mtime
        cached = self._arrow.get(path.name)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        data = pq.read_table(path)
        self._arrow[path.name] = (mtime, data)
        return data

    # --- groups ---------------------------------------------------------------------------------

    def groups(self, user: str) -> list[SharedGroup]:
        """Groups ``user`` owns or belongs to."""
        rows = self.db.query(
            "SELECT * FROM share_group WHERE owner = ? OR group_id IN "
            "(SELECT group_id FROM share_group_user WHERE user = ?) ORDER BY title",
            (user, user),
        )
        return [self._group(r) for r in rows]

    def _group(self, row: Any) -> SharedGroup:
        sql = "SELECT user FROM share_group_user WHERE group_id = ?"
        users = [r[0] for r in self.db.query(sql, (row["group_id"],))]
        return SharedGroup(row["group_id"], row["owner"], row["title"], row["description"] or "", tuple(sorted(users)))

    def save_group(
        self, owner: str, group_id: str | None, title: str, description: str, users: list[str] | None
    ) -> str:
        """Create a group (no ``group_id``) or update one ``owner`` owns; returns its id.

        Raises
        ------
        InputError
            When ``group_id`` is not a group of ``owner``.
        """
        if group_id:
            rows = self.db.query("SELECT owner FROM share_group WHERE group_id = ?", (group_id,))
            if not rows or rows[0]["owner"] != owner:
                raise InputError(f"Group '{group_id}' not found.")
        else:
            group_id = f"{owner}_{time.time_ns() // 1000}O"
        with self.db.transaction() as con:
            con.execute(
                "INSERT INTO share_group (group_id, owner, title, description) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (group_id) DO UPDATE SET title = excluded.title, description = excluded.description",
                (group_id, owner, title, description),
            )
            if users is not None:
                con.execute("DELETE FROM share_group_user WHERE group_id = ?", (group_id,))
                for user in dict.fromkeys(u for u in users if u):
                    con.execute("INSERT INTO share_group_user (group_id, user) VALUES (?, ?)", (group_id, user))
        return group_id

    def remove_group(self, owner: str, group_id: str) -> bool:
        """Delete a group ``owner`` owns (and the relations to it); False if there is none."""
        with self.db.transaction() as con:
            done = con.execute("DELETE FROM share_group WHERE group_id = ? AND owner = ?", (group_id, owner)).rowcount
            if done:
                con.execute("DELETE FROM share_group_user WHERE group_id = ?", (group_id,))
                con.execute("DELETE FROM share_relation WHERE share_type = 'Group' AND share_to = ?", (group_id,))
        return bool(done)

    # --- shared items ---------------------------------------------------------------------------

    def items(self, owner: str) -> list[SharedItem]:
        """The share items ``owner`` made."""
        rows = self.db.query("SELECT * FROM share_item WHERE owner = ? ORDER BY item_id", (owner,))
        out = []
        for r in rows:
            rel = self.db.query(
                "SELECT share_to, share_type, share_mode FROM share_relation WHERE item_id = ?", (r["item_id"],)
            )
            relations = tuple((x["share_to"], x["share_type"], x["share_mode"]) for x in rel)
            out.append(SharedItem(r["item_id"], r["owner"], r["title"], r["description"] or "", relations))
        return out

    def share(self, owner: str, title: str, description: str, relations: list[tuple[str, str, str]]) -> str:
        """Share ``owner``'s table ``title`` (``user_<owner>.<t>``); returns the new item id.

        Raises
        ------
        InputError
            When the table is not one of ``owner``'s, or a relation is malformed.
        """
        bare = self._own_name(owner, title)
        if "." not in title or self._row(owner, bare) is None:
            raise InputError(f"Table '{title}' not found: share a table of your schema as {user_schema(owner)}.<table>")
        for share_to, share_type, mode in relations:
            if share_type not in ("Group", "User") or mode not in ("Read", "Write") or not share_to:
                raise InputError(
                    f"share relation {share_to}|{share_type}|{mode} is not shareTo|Group or User|Read or Write"
                )
        item_id = f"{owner}_{time.time_ns() // 1000}I"
        with self.db.transaction() as con:
            con.execute(
                "INSERT INTO share_item (item_id, owner, type, title, description) VALUES (?, ?, 0, ?, ?)",
                (item_id, owner, f"{user_schema(owner)}.{self._row(owner, bare)['name']}", description),
            )
            for share_to, share_type, mode in relations:
                con.execute(
                    "INSERT INTO share_relation (item_id, share_to, share_type, share_mode) VALUES (?, ?, ?, ?)",
                    (item_id, share_to, share_type, mode),
                )
        return item_id

    def remove_item(self, owner: str, item_id: str) -> bool:
        """Delete a share item ``owner`` made; False if there is none."""
        with self.db.transaction() as con:
            done = con.execute("DELETE FROM share_item WHERE item_id = ? AND owner = ?", (item_id, owner)).rowcount
            if done:
                con.execute("DELETE FROM share_relation WHERE item_id = ?", (item_id,))
        return bool(done)
