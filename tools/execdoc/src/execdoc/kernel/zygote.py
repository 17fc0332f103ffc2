"""The fork server behind warm kernels (:mod:`execdoc.kernel.warm`), run as a
process of its own: ``python -c LAUNCH zygote.py SOCKET NAME MODULES``
(``NAME``: the run marker's variable).

It imports ipykernel and ``MODULES`` once, then serves a Unix socket: each
request (the kernel stub's environment, working folder, data limit and
kernel arguments, with its standard streams passed as file descriptors) is
answered by a fork that becomes that snippet's kernel, exactly as
``ipykernel_launcher`` would start in a new interpreter. The server stays
single-threaded (a fork copies only the calling thread), imports nothing else
and runs no snippet code, so every kernel starts from the same clean state.

Replies, one line each: ``pid N`` then ``exit CODE`` when the kernel ends;
``fallback`` where a warm start would differ from a cold one (a data limit
below what the imports already use) or the server is retiring, and the stub
starts a cold kernel.

The kernel's ``EXECDOC_RUN`` marker (how every process of a run is found and
killed, :func:`execdoc.kernel.limits.kill_tree`) is written into the
environment block the kernel inherited, in place of the server's placeholder
of the same length: ``/proc/PID/environ`` of the kernel, and of everything it
forks, then carries the run's own id.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import selectors
import signal
import socket
import sys

HEADROOM = 512 << 20  # bytes a kernel needs beyond the imports' data to start


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


def data_bytes() -> int:
    """This process's data segment (what RLIMIT_DATA counts), from /proc."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def mark(marker: bytes, run_id: bytes) -> bool:
    """The run's id in this process's original environment block (where the
    placeholder was, after ``marker``, ``NAME=``), so that /proc shows it; true if /proc now does."""
    libc = ctypes.CDLL(None)
    table = ctypes.cast(ctypes.c_void_p.in_dll(libc, "environ").value, ctypes.POINTER(ctypes.c_void_p))
    index = 0
    while table[index]:
        address = table[index]
        if ctypes.string_at(address, len(marker)) == marker:
            if len(ctypes.string_at(address)) == len(marker) + len(run_id):
                ctypes.memmove(address + len(marker), run_id, len(run_id))
            break
        index += 1
    with open("/proc/self/environ", "rb") as handle:
        return marker + run_id in handle.read().split(b"\0")


def become_kernel(request: dict, fds: list[int], closing: list, name: str) -> None:
    """In the fork: the request's streams, folder, environment, path and limit, then ipykernel."""
    code = 1
    try:
        for item in closing:
            item.close()
        os.setsid()
        for number, fd in enumerate(fds[:3]):
            os.dup2(fd, number)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        env = request["env"]
        if not mark(f"{name}=".encode(), env.get(name, "").encode()):
            os.write(2, b"execdoc: the warm kernel could not carry its run's marker\n")
            os._exit(1)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(env)
        sys.path[1:1] = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        limit = int(request["limit"])
        try:
            resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        except (ValueError, OSError):
            pass
        import runpy

        sys.argv = ["ipykernel_launcher", *request["argv"]]
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(path: str, name: str, modules: list[str]) -> None:
    """Serve kernels on the socket ``path`` until standard input closes (and end them), or until the
    last one ends after a ``drain`` line; ``name``: the run marker's variable."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)  # stubs may connect (and wait) while the imports below run
    listener.listen(64)
    kernels: dict[int, socket.socket] = {}
    draining = False
    try:
        import ipykernel.kernelapp  # noqa: F401

        for module in modules:
            importlib.import_module(module)
        if threads() != 1:  # a fork would copy one thread of several: refuse, stubs start cold kernels
            sys.exit(f"execdoc: {threads()} threads after importing {', '.join(modules)}; no warm kernels")
        base = data_bytes()
        selector = selectors.DefaultSelector()
        selector.register(listener, selectors.EVENT_READ, "accept")
        selector.register(sys.stdin, selectors.EVENT_READ, "parent")
        while not (draining and not kernels):
            for key, _ in selector.select(timeout=0.05):
                if key.data == "parent":
                    line = sys.stdin.buffer.readline()
                    if line == b"drain\n":  # retired: no new kernel, the running ones finish
                        draining = True
                        continue
                    return  # the engine ended: so do its kernels
                conn, _ = listener.accept()
                try:
                    message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
                    request = json.loads(message)
                except (OSError, ValueError):
                    conn.close()
                    continue
                if draining or int(request["limit"]) < base + HEADROOM:
                    for fd in fds:
                        os.close(fd)
                    conn.sendall(b"fallback\n")
                    conn.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    become_kernel(request, fds, [listener, selector, *kernels.values(), conn], name)
                for fd in fds:
                    os.close(fd)
                kernels[pid] = conn
                conn.sendall(b"pid %d\n" % pid)
            while kernels:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if not pid:
                    break
                conn = kernels.pop(pid, None)
                if conn is not None:
                    try:
                        conn.sendall(b"exit %d\n" % os.waitstatus_to_exitcode(status))
                    except OSError:
                        pass  # the stub was killed first
                    conn.close()
    finally:
        for pid in kernels:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)  # gone, not a zombie left to init
            except OSError:
                pass
        listener.close()
        for name in os.listdir(os.path.dirname(path)):  # the folder is the server's alone
            os.unlink(os.path.join(os.path.dirname(path), name))
        os.rmdir(os.path.dirname(path))


if __name__ == "__execdoc_zygote__":
    serve(sys.argv[1], sys.argv[2], [m for m in sys.argv[3].split(",") if m])
