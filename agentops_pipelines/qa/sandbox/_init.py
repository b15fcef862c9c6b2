"""PID 1 of a sandbox: build a minimal root, drop privileges, run the command, report status.

Run by `unshare ... python -I -S init.py CONFIG_JSON` inside fresh namespaces, so it imports
only the standard library. It stays the parent of the command (instead of exec'ing it) because a
PID-1 process ignores default-action signals such as SIGXCPU, and because `wait4` gives us the
exact exit status and CPU time, which a shell would blur into 128+N.

The command never sees the host's file tree: a fresh tmpfs becomes `/`, holding only the system
folders (read-only), the workspace copy (the one writable place), the environment folders the
run needs (read-only), a synthesised /etc, a fresh /proc, a handful of device nodes and private
/tmp and /run. Host Unix sockets, home folders and /etc/shadow are simply not there.
"""

from __future__ import annotations

import ctypes
import encodings.unicode_escape  # noqa: F401 - decoded after the host stdlib is gone
import json
import os
import platform
import resource
import sys
import warnings  # noqa: F401 - os.execvp imports it lazily, after the stdlib may be unreadable

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC = 0x20, 0x1000, 0x4000
MNT_DETACH = 2
_KEEP_FLAGS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": 0x400,
    "nodiratime": 0x800,
    "relatime": 0x200000,
}
_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41}
_DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
PR_SET_NO_NEW_PRIVS = 38
REPORT_FD = 3
_libc = ctypes.CDLL(None, use_errno=True)


def _check(rc: int, what: str) -> None:
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    """mount(2) directly: mount(8) canonicalises paths and is not in the new root anyway."""
    rc = _libc.mount(
        source.encode(), target.encode(), fstype.encode() if fstype else None, flags,
        data.encode() if data else None,
    )  # fmt: skip
    _check(rc, f"mount {source} on {target}")


def _bind(source: str, target: str) -> None:
    """Bind `source` at `target` (made as a file or folder to match); read-only comes later."""
    if os.path.isdir(source):
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        if not os.path.exists(target):
            open(target, "w").close()  # noqa: SIM115 - an empty mount point
    _mount(source, target, None, MS_BIND | MS_REC, None)


def _tmpfs(target: str, mode: str, size: str = "16m") -> None:
    os.makedirs(target, mode=0o755, exist_ok=True)
    _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode}")


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o644)


def _etc(new: str, config: dict) -> None:
    """Just enough /etc for getpwuid and localhost lookups; no host account data."""
    uid, gid, home = config["uid"], config["gid"], config["workdir"]
    users = "root:x:0:0:root:/root:/usr/sbin/nologin\n"
    groups = "root:x:0:\n"
    if uid is not None:
        users += f"sandbox:x:{uid}:{gid}:sandbox:{home}:/usr/sbin/nologin\n"
        groups += f"sandbox:x:{gid}:\n"
    _write(f"{new}/etc/passwd", users)
    _write(f"{new}/etc/group", groups)
    _write(f"{new}/etc/hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost\n")
    _write(f"{new}/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n")


def _dev(new: str) -> None:
    _tmpfs(f"{new}/dev", "0755", "1m")
    for name in _DEVICES:
        if os.path.exists(f"/dev/{name}"):
            _bind(f"/dev/{name}", f"{new}/dev/{name}")
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):  # fmt: skip
        os.symlink(target, f"{new}/dev/{name}")
    _tmpfs(f"{new}/dev/shm", "1777", "64m")


def _build_root(config: dict) -> None:
    """Assemble the new root on a tmpfs, then pivot into it and drop the host tree."""
    new = config["root"]
    _mount("tmpfs", new, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755")
    for path in config["system_paths"]:
        if os.path.islink(path):
            os.symlink(os.readlink(path), new + path)
        elif os.path.isdir(path):
            _bind(path, new + path)
    for target, mode in config["private_dirs"].items():
        _tmpfs(new + target, mode)
    _bind(config["workdir"], new + config["workdir"])
    for source, target in config.get("readonly_binds", []):
        if os.path.exists(source):
            _bind(source, new + target)
    _etc(new, config)
    os.makedirs(f"{new}/proc", mode=0o555, exist_ok=True)
    _mount("proc", f"{new}/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
    _dev(new)
    os.chdir(new)
    number = _PIVOT_ROOT.get(platform.machine())
    if number is None:
        raise OSError(f"pivot_root: unsupported machine {platform.machine()}")
    _check(_libc.syscall(number, b".", b"."), "pivot_root")
    _check(_libc.umount2(b".", MNT_DETACH), "umount old root")
    os.chdir(config["workdir"])


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
    only wall in a user namespace, where the command runs as the namespace's root."""
    for point, flags in _mount_points():
        if point in writable or point.startswith(("/proc", "/sys")):
            continue
        try:
            _mount("none", point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, None)
        except OSError:
            continue  # device nodes and the like: nothing the command could write through


def _child(config: dict) -> None:
    limits = config["limits"]
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"] + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize"], limits["fsize"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Every run has a host uid of its own, so this counts this run's processes only.
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["nproc"], limits["nproc"]))
    if config["uid"] is not None:
        os.setgroups([])
        os.setgid(config["gid"])
        os.setuid(config["uid"])
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.chdir(config.get("cwd") or config["workdir"])
    argv = config["argv"]
    os.execvp(argv[0], argv)


def main() -> None:
    config = json.loads(sys.argv[1])
    status_fd = config["status_fd"]
    report_fd = config.get("report_fd")
    _build_root(config)
    _readonly_except({config["workdir"], "/dev/shm"})
    pid = os.fork()
    if pid == 0:
        try:
            os.close(status_fd)
            if report_fd is not None:
                if report_fd != REPORT_FD:
                    os.dup2(report_fd, REPORT_FD)
                    os.close(report_fd)
                os.set_inheritable(REPORT_FD, True)  # the runner writes its report here
            _child(config)
        except BaseException as exc:  # noqa: BLE001 - report any setup failure, then leave
            os.write(2, f"sandbox: cannot start {config['argv'][0]!r}: {exc}\n".encode())
        os._exit(127)
    if report_fd is not None:
        os.close(report_fd)  # the host sees end-of-report once the command's side closes
    _, status, usage = os.wait4(pid, 0)
    report = {"status": status, "cpu": usage.ru_utime + usage.ru_stime}
    os.write(status_fd, json.dumps(report).encode())
    os.close(status_fd)


if __name__ == "__main__":
    main()
