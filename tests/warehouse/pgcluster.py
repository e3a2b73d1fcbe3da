"""A throwaway PostgreSQL server for tests/warehouse and bench/scenarios/warehouse.py: a
cluster in a temporary directory, listening only on a Unix socket in that directory, started
by start() and stopped (and removed) by stop(), which a `with` block calls even on failure.
As root the server runs as the user postgres (else nobody), since PostgreSQL refuses root.

    with pgcluster.Cluster() as pg:      # raises pgcluster.Unavailable when there is none
        pg.psql("SELECT 1", cwd=...)     # psql -X -v ON_ERROR_STOP=1 as the cluster's superuser
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile

SKIP_REASON = "needs PostgreSQL (Debian package postgresql)"


class Unavailable(Exception):
    pass


def bindir():
    """The newest /usr/lib/postgresql/*/bin holding initdb (not on PATH on Debian), else the
    directory of an initdb on PATH, else None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    w = shutil.which("initdb")
    return os.path.dirname(w) if w else None


class Cluster:
    def __init__(self, settings=None):
        self.bin = bindir()
        if not self.bin:
            raise Unavailable(SKIP_REASON)
        self.settings = {"listen_addresses": "''", "fsync": "off", "synchronous_commit": "off",
                         "full_page_writes": "off", "shared_buffers": "256MB",
                         "work_mem": "256MB", "maintenance_work_mem": "256MB",
                         "max_wal_size": "4GB", "jit": "off"}
        self.settings.update(settings or {})
        self.dir = None
        self.started = False
        self.user = None

    def _as_server(self, args, **kw):
        if self.user is not None:
            args = ["runuser", "-u", self.user, "--"] + args
        return subprocess.run(args, capture_output=True, text=True, **kw)

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="tokenledger-pg-")
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pw = pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                os.chown(self.dir, pw.pw_uid, pw.pw_gid)
                break
            else:
                raise Unavailable("running as root and no user postgres or nobody to run it as")
        data = os.path.join(self.dir, "data")
        p = self._as_server([os.path.join(self.bin, "initdb"), "-D", data, "-U", "tl",
                             "--auth=trust", "--locale=C", "-E", "UTF8", "--no-sync"])
        if p.returncode != 0:
            raise RuntimeError("initdb failed: %s" % (p.stderr or p.stdout)[-600:])
        opts = " ".join("-c %s=%s" % kv for kv in self.settings.items()) + \
            " -c unix_socket_directories=%s" % self.dir
        p = self._as_server([os.path.join(self.bin, "pg_ctl"), "-D", data, "-w", "-t", "60",
                             "-l", os.path.join(self.dir, "server.log"), "-o", opts, "start"])
        if p.returncode != 0:
            log = ""
            try:
                log = open(os.path.join(self.dir, "server.log")).read()[-600:]
            except OSError:
                pass
            raise RuntimeError("pg_ctl start failed: %s %s" % (p.stderr[-300:], log))
        self.started = True
        return self

    def stop(self):
        try:
            if self.started:
                self._as_server([os.path.join(self.bin, "pg_ctl"), "-D",
                                 os.path.join(self.dir, "data"), "-m", "fast", "-w", "stop"])
                self.started = False
        finally:
            if self.dir:
                shutil.rmtree(self.dir, ignore_errors=True)
                self.dir = None

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()

    def version(self):
        return self.psql("SHOW server_version", args=["-At"]).strip()

    def psql(self, sql=None, file=None, cwd=None, args=()):
        """Run psql (-X, ON_ERROR_STOP) on the database postgres; returns stdout, raises
        RuntimeError with stderr on failure."""
        cmd = [os.path.join(self.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.dir,
               "-U", "tl", "-d", "postgres"] + list(args)
        if file:
            cmd += ["-f", file]
        p = subprocess.run(cmd, input=sql, capture_output=True, text=True, cwd=cwd)
        if p.returncode != 0:
            raise RuntimeError("psql failed: %s" % p.stderr.strip()[-800:])
        return p.stdout
