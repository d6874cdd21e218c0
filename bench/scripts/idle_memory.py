#!/usr/bin/env python3
"""Measures roostd's memory per idle connection and its responsiveness.

For each round and IO backend: start roostd (Release build) on ephemeral
ports, warm it up with a short CAPABILITY load so one-time allocations
(provided-buffer ring pages, TBB workers, metrics series) are already paid,
read VmRSS, then let `roost-bench --profile idle` open N connections, read
their greetings and hold them silent while a probe connection measures
CAPABILITY round trips. VmRSS is sampled while the connections are held.
Rounds alternate backends. Prints one line per run and a summary with the
median and min-max; `--json` writes everything for doc/benchmarks.md.

With --peer dovecot, each round also runs the same measurement against a
private Dovecot 2.3 (Debian dovecot-imapd, `scripts/deps bench`) in its
tuned high-performance login mode (service_count=0, one imap-login process
per core holding many clients). Memory is then the sum over the server's
whole process tree, as RSS and as PSS (shared pages split between the
processes that map them), so a multi-process server is not flattered or
penalised by shared libraries.

Usage: bench/scripts/idle_memory.py [--build build/release] [--clients 15000]
                                    [--rounds 3] [--hold 20] [--tls none|implicit]
                                    [--peer dovecot] [--json out.json]
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

CONFIG = """[server]
io_threads = 1
[log]
level = "warn"
[admin]
address = "127.0.0.1:0"
[[listener]]
name = "imap"
protocol = "imap"
address = "127.0.0.1:0"
tls = "{tls}"
"""

TLS_CONFIG = """[tls]
cert = "cert.pem"
key = "key.pem"
"""


DOVECOT_CONFIG = """base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
passdb {{
  driver = static
  args = nopassword=y
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={dir}/home/%u
}}
mail_location = maildir:~/Maildir
default_client_limit = 20000
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  service_count = 0
  process_min_avail = 2
  client_limit = 9000
  vsz_limit = 1G
}}
service anvil {{
  client_limit = 20000
}}
"""


def proc_tree(pid):
    """pid and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def field_kb(path, name):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid):
    """(RSS, PSS) in kB summed over the process tree rooted at pid."""
    pids = proc_tree(pid)
    return (sum(field_kb(f"/proc/{p}/status", "VmRSS") for p in pids),
            sum(field_kb(f"/proc/{p}/smaps_rollup", "Pss") for p in pids))


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_dovecot(workdir):
    port = free_port()
    for sub in ("run", "state", "home"):
        os.makedirs(os.path.join(workdir, sub), exist_ok=True)
    os.chmod(workdir, 0o755)
    conf = os.path.join(workdir, "dovecot.conf")
    with open(conf, "w") as f:
        f.write(DOVECOT_CONFIG.format(dir=workdir, port=port))
    proc = subprocess.Popen(["dovecot", "-F", "-c", conf], stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(workdir, "stderr"), "w"))
    import socket
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            time.sleep(0.5)  # let process_min_avail login processes start
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("dovecot did not start")


def start_roostd(build, backend, workdir, tls):
    conf = os.path.join(workdir, "roost.toml")
    ready = os.path.join(workdir, "ready.json")
    text = CONFIG.format(tls=tls)
    if tls != "none":
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-days", "30", "-subj", "/CN=localhost", "-keyout",
                        os.path.join(workdir, "key.pem"), "-out", os.path.join(workdir, "cert.pem")],
                       check=True, capture_output=True)
        os.chmod(os.path.join(workdir, "key.pem"), 0o600)
        text = TLS_CONFIG + text
    with open(conf, "w") as f:
        f.write(text)
    proc = subprocess.Popen([os.path.join(build, "src/server/roostd"), "--config", conf,
                             "--io-backend", backend, "--ready-file", ready],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "log"), "w"))
    for _ in range(200):
        if os.path.exists(ready):
            with open(ready) as f:
                info = json.load(f)
            return proc, int(info["listeners"]["imap"].rsplit(":", 1)[1])
        if proc.poll() is not None:
            raise RuntimeError("roostd exited early")
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("roostd did not become ready")


def bench(build, port, args, workdir, name):
    out = os.path.join(workdir, name + ".json")
    cmd = [os.path.join(build, "bench/load/roost-bench"), "--port", str(port), "--json", out] + args
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), out


def one_run(build, backend, clients, hold, tls):
    with tempfile.TemporaryDirectory() as workdir:
        if backend == "dovecot":
            proc, port = start_dovecot(workdir)
        else:
            proc, port = start_roostd(build, backend, workdir, tls)
        tls_args = ["--tls", tls]
        try:
            warm, _ = bench(build, port, ["--profile", "capability", "--clients", "50", "--duration", "2"] + tls_args,
                            workdir, "warm")
            warm.communicate(timeout=60)
            time.sleep(0.5)
            base, base_pss = rss_kb(proc.pid)
            idle, out = bench(build, port, ["--profile", "idle", "--clients", str(clients), "--duration",
                                            str(hold), "--probe-rate", "50", "--threads", "2"] + tls_args, workdir, "idle")
            peak, peak_pss = base, base_pss
            while idle.poll() is None:
                rss, pss = rss_kb(proc.pid)
                peak, peak_pss = max(peak, rss), max(peak_pss, pss)
                time.sleep(0.5)
            text = idle.stdout.read()
            if idle.returncode != 0:
                raise RuntimeError("roost-bench failed:\n" + text)
            with open(out) as f:
                result = json.load(f)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    held = clients
    return {"server": "dovecot" if backend == "dovecot" else "roostd", "backend": backend, "clients": held,
            "rss_base_kb": base, "rss_held_kb": peak, "kb_per_conn": (peak - base) / held,
            "pss_base_kb": base_pss, "pss_held_kb": peak_pss, "pss_kb_per_conn": (peak_pss - base_pss) / held,
            "bench": result, "roostd_exit": proc.returncode}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build/release")
    p.add_argument("--clients", type=int, default=15000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--hold", type=float, default=20)
    p.add_argument("--tls", choices=["none", "implicit"], default="none")
    p.add_argument("--peer", choices=["dovecot"], action="append", default=[])
    p.add_argument("--json")
    a = p.parse_args()
    runs = []
    for r in range(a.rounds):
        for backend in ["uring", "epoll"] + a.peer:
            run = one_run(a.build, backend, a.clients, a.hold, a.tls)
            pl = run["bench"]["probe_latency"]; probe = f"p50 {pl['p50_us']:.0f} us p99 {pl['p99_us']:.0f} us"
            print(f"round {r + 1} {backend:7}: +{run['kb_per_conn']:.2f} KB/conn RSS, "
                  f"+{run['pss_kb_per_conn']:.2f} KB/conn PSS "
                  f"(rss {run['rss_base_kb']} -> {run['rss_held_kb']} kB), probe {probe}, "
                  f"exit {run['roostd_exit']}", flush=True)
            runs.append(run)
    for backend in ["uring", "epoll"] + a.peer:
        for key in ("kb_per_conn", "pss_kb_per_conn"):
            vals = [r[key] for r in runs if r["backend"] == backend]
            print(f"{backend} {key}: median {statistics.median(vals):.2f} "
                  f"(min {min(vals):.2f}, max {max(vals):.2f})")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(runs, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
