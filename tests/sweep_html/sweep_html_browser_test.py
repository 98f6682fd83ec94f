#!/usr/bin/python3
"""The sweep's HTML report in a real browser: well-formed, drawn, and fetching nothing.

Usage: sweep_html_browser_test.py WRITE_SWEEP_HTML

Runs the test-only writer (tests/sweep_html/write_sweep_html.cpp) for the sample sweep's report,
checks it well-formed with `xmllint --noout`, then opens it in Debian's chromium, headless, with
every host name resolving to nothing and a network log (--log-net-log):
- the log holds no request made for the page. Chromium makes requests of its own (component
  updates, network time), which carry no origin ("initiator": "not an origin"); a request the
  page makes carries the page's origin (null for a file) and the file:// site in its isolation
  key. A control page that loads a remote image shows that such a request is logged and caught.
- the screenshot (PNG, decoded here with zlib and struct) shows the charts and bars: pixels of the
  chart series' colours beyond what the legends hold, the shaded bands, the baseline's dashed line,
  and the state colours of the bars.
Exits 77 (skipped) where chromium or xmllint is not installed (Debian: chromium, libxml2-utils).
"""

import collections
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = 77
# Engine colours (engine/io/sweep_html.cpp): the first two chart series, the baseline's line, and
# each station state's bar with its legend swatch of 14 x 14 pixels.
SERIES = {"first series": (0, 114, 178), "second series": (213, 94, 0)}
BASELINE = (110, 110, 110)
BAND_OPACITY = 0.15
STATES = {"working": (46, 160, 67), "setup": (150, 80, 200), "waiting_operator": (240, 130, 20),
          "starved": (230, 190, 30), "blocked": (40, 110, 220), "down": (215, 40, 40),
          "off_shift": (90, 90, 90)}
# The states the sample's stations spend time in (breakdown_line: no setups, operators or shifts).
STATES_IN_BARS = ["working", "starved", "blocked", "down"]
LEGEND_SWATCH = 14 * 14
WINDOW = (1200, 3200)  # tall enough for the whole sample report


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def run_chromium(chromium, page, work, name):
    """Opens `page`; returns the screenshot's path and the network log, parsed."""
    screenshot = os.path.join(work, name + ".png")
    net_log = os.path.join(work, name + ".netlog.json")
    home = os.path.join(work, name + "-home")
    os.makedirs(home)
    command = [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
               "--no-first-run", "--disable-background-networking",
               "--user-data-dir=" + os.path.join(home, "profile"),
               "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=" + net_log,
               "--window-size=%d,%d" % WINDOW, "--screenshot=" + screenshot,
               "file://" + page]
    # HOME and the XDG folders in the work folder, so that chromium writes nothing elsewhere.
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home)
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=180, check=False)
    if done.returncode != 0 or not os.path.exists(screenshot):
        print(done.stdout.decode(errors="replace"))
        fail("chromium exited with %d on %s" % (done.returncode, page))
    with open(net_log, encoding="utf-8") as f:
        return screenshot, json.load(f)


def page_requests(net_log, page):
    """The URLs of the requests that the page made, and those chromium made for itself."""
    names = {number: name for name, number in net_log["constants"]["logEventTypes"].items()}
    by_page, own = [], []
    for event in net_log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        url = params["url"]
        if url == "file://" + page:
            continue
        for_page = (params.get("initiator") != "not an origin"
                    or "file://" in params.get("network_isolation_key", ""))
        (by_page if for_page else own).append(url)
    return by_page, own


def decode_png(path):
    """(width, height, rows of RGB or RGBA bytes) of an 8-bit, non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG")
    position, idat = 8, []
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    if depth != 8 or colour_type not in (2, 6) or interlace != 0:
        fail("%s: depth %d, colour type %d, interlace %d: not what chromium writes"
             % (path, depth, colour_type, interlace))
    bpp = 3 if colour_type == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    # The "up" filter adds the row above byte by byte, modulo 256: done on whole rows as integers,
    # adding the low 7 bits of each byte and setting the top one by exclusive or, so that no carry
    # crosses a byte.
    low7 = int.from_bytes(b"\x7f" * stride, "big")
    top = int.from_bytes(b"\x80" * stride, "big")
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:  # sub
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif kind == 2:  # up
            a, b = int.from_bytes(row, "big"), int.from_bytes(previous, "big")
            row = bytearray((((a & low7) + (b & low7)) ^ ((a ^ b) & top)).to_bytes(stride, "big"))
        elif kind == 3:  # average
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a, c = (row[i - bpp], previous[i - bpp]) if i >= bpp else (0, 0)
                b = previous[i]
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif kind != 0:
            fail("%s: unknown PNG filter %d" % (path, kind))
        rows.append(bytes(row))
        previous = row
    return width, height, bpp, rows


def colour_counts(png):
    width, height, bpp, rows = decode_png(png)
    if (width, height) != WINDOW:
        fail("the screenshot is %dx%d, not %dx%d" % (width, height, *WINDOW))
    counts = collections.Counter()
    for row in rows:
        counts.update(zip(row[0::bpp], row[1::bpp], row[2::bpp]))
    return counts


def near(counts, colour, tolerance):
    return sum(n for c, n in counts.items()
               if all(abs(a - b) <= tolerance for a, b in zip(c, colour)))


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    chromium = shutil.which("chromium")
    xmllint = shutil.which("xmllint")
    if chromium is None or xmllint is None:
        print("chromium or xmllint is not installed (Debian: chromium, libxml2-utils): skipped")
        return SKIP
    work = tempfile.mkdtemp(prefix="sweep-html-")
    try:
        report = os.path.join(work, "report.html")
        subprocess.run([sys.argv[1], report], check=True)
        linted = subprocess.run([xmllint, "--noout", report], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, check=False)
        if linted.returncode != 0:
            fail("xmllint: " + linted.stdout.decode(errors="replace"))
        print("xmllint: well-formed")

        # The control: a page without the policy, with a remote image, must be seen requesting it.
        control = os.path.join(work, "control.html")
        with open(control, "w", encoding="utf-8") as f:
            f.write('<!DOCTYPE html><html><head><title>control</title></head><body>'
                    '<img src="http://linetwin-control.invalid/remote.png" alt="remote"/>'
                    '</body></html>')
        _, control_log = run_chromium(chromium, control, work, "control")
        control_requests, _ = page_requests(control_log, control)
        if "http://linetwin-control.invalid/remote.png" not in control_requests:
            fail("the control page's remote image is not in the network log as the page's "
                 "request (found %s): the check below would not see a request" % control_requests)
        print("control page: its remote image was requested and seen in the network log")

        screenshot, net_log = run_chromium(chromium, report, work, "report")
        requests, own = page_requests(net_log, report)
        print("chromium's own requests (no origin, not the page's): %d" % len(own))
        for url in sorted(set(own)):
            print("  " + url)
        if requests:
            fail("the report made requests: %s" % requests)
        print("report: no request made for the page")

        counts = colour_counts(screenshot)
        total = sum(counts.values())
        drawn = total - counts[(255, 255, 255)]
        print("non-white pixels: %d of %d" % (drawn, total))
        if drawn < total // 20:
            fail("the screenshot is nearly blank")
        failures = []
        # Each chart's legend draws a series' swatch as a line of 24 x 3 pixels; the points, the
        # error bars and the line through the means of two charts draw far more.
        for name, colour in SERIES.items():
            n = counts[colour]
            print("%s %s: %d pixels" % (name, colour, n))
            if n < 400:
                failures.append("%s: %d pixels of %s, the legends alone hold 144"
                                % (name, n, colour))
            # The band is the series' colour at 15% over white, which only a band draws.
            band = tuple(round(255 - BAND_OPACITY * (255 - c)) for c in colour)
            n = near(counts, band, 2)
            print("  its band %s: %d pixels" % (band, n))
            if n < 5000:
                failures.append("%s: %d pixels of its band %s" % (name, n, band))
        n = counts[BASELINE]
        print("baseline line %s: %d pixels" % (BASELINE, n))
        if n < 100:
            failures.append("the baseline's dashed line: %d pixels of %s" % (n, BASELINE))
        for state, colour in STATES.items():
            n = counts[colour]
            print("state %s %s: %d pixels" % (state, colour, n))
            # Every state has its legend swatch; the states the sample's stations are in have bars.
            want = 10 * LEGEND_SWATCH if state in STATES_IN_BARS else LEGEND_SWATCH * 3 // 4
            if n < want:
                failures.append("state %s: %d pixels of %s, fewer than %d" % (state, n, colour,
                                                                              want))
        if failures:
            fail("the screenshot lacks what the report draws:\n  " + "\n  ".join(failures))
        print("screenshot: the charts, their bands, the baseline and the state bars are drawn")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
