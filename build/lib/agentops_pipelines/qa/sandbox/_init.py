"""PID 1 of a sandbox: hide shared temp dirs, drop privileges, run the command, report status.

Run by `unshare ... python -I -S _init.py CONFIG_JSON` inside fresh namespaces, so it imports
only the standard library. It stays the parent of the command (instead of exec'ing it) because a
PID-1 process ignores default-action signals such as SIGXCPU, and because `wait4` gives us the
exact exit status and CPU time, which a shell would blur into 128+N.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sys
import warnings  # noqa: F401 - os.execvp imports it lazily, after the stdlib may be unreadable

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC = 0x20, 0x1000, 0x4000
_KEEP_FLAGS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": 0x400,
    "nodiratime": 0x800,
    "relatime": 0x200000,
}
PR_SET_NO_NEW_PRIVS = 38
_libc = ctypes.CDLL(None, use_errno=True)


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    """mount(2) directly: mount(8) canonicalises '.', which would miss our hidden workdir."""
    rc = _libc.mount(
        source.encode(), target.encode(), fstype.encode() if fstype else None, flags,
        data.encode() if data else None,
    )  # fmt: skip
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source} on {target}: {os.strerror(err)}")


def _hide_shared_dirs(workdir: str, dirs: dict[str, str], readonly: list[str]) -> None:
    """Cover world-writable dirs with private tmpfs, then re-expose the workdir at its own path.

    The cwd keeps a reference to the real workdir even after /tmp is covered, so binding "."
    brings it back under the same absolute path. Library paths (a virtualenv's site-packages
    that lives under /tmp, e.g. in a CI clone) are re-exposed the same way through O_PATH file
    descriptors; the new parent folders on the tmpfs are traversable by the sandbox user even
    when the real ones are private, and the later read-only remount covers these binds too.
    """
    handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in readonly}
    os.chdir(workdir)
    for target, mode in dirs.items():
        if os.path.isdir(target):
            _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"size=16m,mode={mode}")
    os.makedirs(workdir, exist_ok=True)
    _mount(".", workdir, None, MS_BIND | MS_REC, None)
    for path, handle in handles.items():
        if not os.path.isdir(path):
            os.makedirs(path, mode=0o755)
            _mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC, None)
        os.close(handle)
    os.chdir(workdir)


def _mount_points() -> list[tuple[str, int]]:
    """(mount point, per-mount flags) from mountinfo; a bind remount must repeat locked flags."""
    points = []
    with open("/proc/self/mountinfo") as info:
        for line in info:
            fields = line.split()
            point = fields[4].encode().decode("unicode_escape")
            flags = sum(_KEEP_FLAGS.get(opt, 0) for opt in fields[5].split(","))
            points.append((point, flags))
    return points


def _readonly_except(writable: set[str]) -> None:
    """Remount every other mount read-only: a second wall behind file permissions, and the
    only wall in a user namespace, where the command's uid may own the host's files."""
    for point, flags in _mount_points():
        if point in writable or point.startswith(("/proc", "/sys", "/dev")):
            continue
        try:
            _mount("none", point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, None)
        except OSError:
            continue  # a mount we may not touch is also one the sandbox user cannot write


def _child(config: dict) -> None:
    limits = config["limits"]
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"] + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize"], limits["fsize"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if config["uid"] is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["nproc"], limits["nproc"]))
        os.setgroups([])
        os.setgid(config["gid"])
        os.setuid(config["uid"])
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    argv = config["argv"]
    os.execvp(argv[0], argv)


def main() -> None:
    config = json.loads(sys.argv[1])
    status_fd = config["status_fd"]
    _hide_shared_dirs(config["workdir"], config["private_dirs"], config.get("readonly_paths", []))
    _readonly_except({config["workdir"]})
    pid = os.fork()
    if pid == 0:
        try:
            os.close(status_fd)
            _child(config)
        except BaseException as exc:  # noqa: BLE001 - report any setup failure, then leave
            os.write(2, f"sandbox: cannot start {config['argv'][0]!r}: {exc}\n".encode())
        os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    report = {"status": status, "cpu": usage.ru_utime + usage.ru_stime}
    os.write(status_fd, json.dumps(report).encode())
    os.close(status_fd)


if __name__ == "__main__":
    main()
