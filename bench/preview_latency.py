#!/usr/bin/env python3
"""Times `jiayuan serve` as a user sees it: from saving one estate file to the reload
signal (the long poll every preview page waits on returns), and to the estate's new page
arriving over HTTP.

    python3 bench/preview_latency.py BINARY SITE [SAVES]

SITE is changed (one estate file of the newest year is rewritten SAVES times, default
9, and restored at the end): run it on a copy, e.g. of a generated corpus. Prints each
save's times and the medians in milliseconds. Uses only the Python standard library.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import time


def newest_estate(site):
    campaigns = os.path.join(site, "content", "campaigns")
    year = sorted(os.listdir(campaigns))[-1]
    folder = os.path.join(campaigns, year, "estates")
    name = sorted(os.listdir(folder))[0]
    return year, name[: -len(".yaml")], os.path.join(folder, name)


def get(origin, path, timeout=60):
    conn = http.client.HTTPConnection(origin, timeout=timeout)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, site = sys.argv[1], sys.argv[2]
    saves = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    server = subprocess.Popen(
        [binary, "serve", "--port", "0", "--today", "2026-11-26", "--root", site],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = None
        for line in server.stdout:
            if "http://" in line:
                url = line[line.index("http://") :].strip()
                break
        rest = url[len("http://") :]
        origin, base = rest[: rest.index("/")], rest[rest.index("/") :]
        year, slug, path = newest_estate(site)
        page = f"{base}{year}/estates/{slug}/"
        with open(path, encoding="utf-8") as f:
            original = f.read()
        signal, shown = [], []
        for i in range(saves):
            _, body = get(origin, "/__jiayuan/poll")
            generation = json.loads(body)["generation"]
            time.sleep(0.3)
            marker = f"第{i}次修改"
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original.replace("name: ", f"name: {marker} ", 1))
            _, body = get(origin, f"/__jiayuan/poll?since={generation}")
            signalled = time.perf_counter()
            _, html = get(origin, page)
            done = time.perf_counter()
            if marker not in html.decode("utf-8"):
                sys.exit(f"save {i + 1}: the page does not show the change")
            signal.append((signalled - start) * 1000)
            shown.append((done - start) * 1000)
            print(f"save {i + 1}: reload signal {signal[-1]:.0f} ms, new page {shown[-1]:.0f} ms")
            # Let the background check of this save finish, as a user reading the page would.
            time.sleep(2)
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        print(
            f"median: reload signal {statistics.median(signal):.0f} ms, "
            f"new page {statistics.median(shown):.0f} ms"
        )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
