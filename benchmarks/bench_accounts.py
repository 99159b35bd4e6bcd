"""What signing in costs a command: a password check (argon2id) against a token check (a digest
lookup), each beside a floor measured in the same run.

    .venv/bin/python benchmarks/bench_accounts.py
    .venv/bin/python benchmarks/bench_accounts.py --pg postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/bench_accounts.py --accounts 5000 --runs 30

A CLI command run with HALL_STAFF and HALL_PASSWORD signs in once: ``hall.accounts.sign_in``,
which reads the account, verifies the password with the production hasher
(:data:`hall.accounts.passwords.HASHER`, argon2id: deliberately slow and memory-hard) and writes
the audit event of the sign-in. A kiosk or the board gives HALL_TOKEN instead:
``hall.accounts.by_token`` hashes the token once (SHA-256) and looks its digest up in a unique
index. The database holds ``--accounts`` accounts, each with a token, so the lookups are not in a
toy table. Printed per operation: median, 95th percentile and the ratio to the floor, one
indexed primary-key read of an account in the same run (and, for the password, argon2's verify
alone, which is most of it). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.accounts import passwords
from hall.clock import SystemClock
from models import AccessToken, Account, open_database

PASSWORD = "bench-Pass-2026"


def timed(act: Callable[[], Any], runs: int) -> list[float]:
    """Seconds per call of ``act``, ``runs`` times (after one warm-up call)."""
    act()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        act()
        out.append(time.perf_counter() - start)
    return out


def fill(hall: Hall, accounts: int) -> str:
    """``accounts`` extra accounts with a token each (digests only, in bulk); the administrator
    gets PASSWORD with the production hasher; returns a valid token of kiosk01."""
    hall.accounts.init_admin("admin", PASSWORD)
    at = hall.store.now().replace(tzinfo=None)
    with hall.store.transaction():
        for start in range(0, accounts, 500):
            Account.insert_many([{"login": f"bench{n:06d}", "name": f"员工{n}", "role": "desk",
                                  "departments": "xfj", "created_at": at}
                                 for n in range(start, min(start + 500, accounts))]).execute()
        ids = [a.id for a in Account.select(Account.id).where(Account.login.startswith("bench"))]
        for start in range(0, len(ids), 500):
            AccessToken.insert_many([{"account": i, "digest": passwords.token_digest(
                f"hall_{uuid.uuid4()}"), "created_at": at, "created_by": "admin"}
                for i in ids[start:start + 500]]).execute()
    return hall.accounts.create_token("kiosk01", actor="admin", days=30)


def report(rows: list[tuple[str, list[float]]], floor: float) -> None:
    print(f"{'operation':<44} {'median':>10} {'p95':>10} {'x floor':>9}")
    for name, samples in rows:
        median = statistics.median(samples)
        p95 = sorted(samples)[int(len(samples) * 0.95) - 1]
        print(f"{name:<44} {median * 1e3:>8.3f}ms {p95 * 1e3:>8.3f}ms {median / floor:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL URL (a scratch schema is made and dropped)")
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=40, help="password checks timed")
    parser.add_argument("--token-runs", type=int, default=2000, help="token checks timed")
    args = parser.parse_args()
    config = load_config(DEFAULT_CONFIG)
    schema = None
    if args.pg:
        from urllib.parse import quote

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        open_database(args.pg).execute_sql(f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in args.pg else "?"
        url = f"{args.pg}{sep}options={quote(f'-csearch_path={schema}')}"
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'accounts.db'}"
    try:
        hall = Hall(open_database(url), config, SystemClock())
        token = fill(hall, args.accounts)
        admin = Account.get(Account.login == "admin")
        some = Account.get(Account.login == "kiosk01").id
        rows = [
            ("floor: one account by primary key", timed(
                lambda: Account.select().where(Account.id == some).first(), args.token_runs)),
            ("token check: hall.accounts.by_token", timed(
                lambda: hall.accounts.by_token(token), args.token_runs)),
            ("  of which SHA-256 of the token", timed(
                lambda: passwords.token_digest(token), args.token_runs)),
            ("permission check: store.permit", timed(
                lambda: hall.store.permit("admin", "account.manage"), args.token_runs)),
            ("password check: hall.accounts.sign_in", timed(
                lambda: hall.accounts.sign_in("admin", PASSWORD), args.runs)),
            ("  of which argon2id verify (HASHER)", timed(
                lambda: passwords.verify(admin.password_hash, PASSWORD), args.runs)),
        ]
        kind = "PostgreSQL" if args.pg else "SQLite"
        print(f"{kind}, {Account.select().count()} accounts, {AccessToken.select().count()} "
              f"tokens; argon2id t={passwords.HASHER.time_cost} "
              f"m={passwords.HASHER.memory_cost} KiB p={passwords.HASHER.parallelism}")
        report(rows, statistics.median(rows[0][1]))
        hall.db.close()
    finally:
        if schema is not None and args.pg:
            open_database(args.pg).execute_sql(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
