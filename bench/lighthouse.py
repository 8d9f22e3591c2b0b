"""`make lighthouse`: Lighthouse scores for every public page kind, English and French, on the
phone and desktop profiles, against the production server with the demo newsroom.

Installs the `lighthouse` npm package into .lighthouse/ (once), loads the demo into a fresh
SQLite database with LIGHTHOUSE_SEED (200) generated releases in both languages beside it (lists
of one card measure little, and the demo's one release is English: the French archives of its
month rightly answer 404, so the French archive pages measured are those of the newest French
release's year and month), starts gunicorn with the production settings (DEBUG off, WhiteNoise after
collectstatic) on 127.0.0.1, and runs Debian's Chromium (/usr/bin/chromium, or CHROME_PATH)
headless for each page. Prints one table (also written to bench/results/lighthouse.md) and
exits non-zero when any score is under 100. Pages kept out of search engines on purpose
(noindex: search results, the French page of an English-only release) are shown "n/a" for SEO.

Settings from the environment: LIGHTHOUSE_PORT (8766), LIGHTHOUSE_SEED (200), CHROME_PATH.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "8766"))
SEED = int(os.environ.get("LIGHTHOUSE_SEED", "200"))
BASE = f"http://127.0.0.1:{PORT}"
TOOLS = ROOT / ".lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
DEMO_RELEASE = (
    "/en/releases/2021/05/09/national-police-week-working-together-to-keep-our-communities-safe/"
)
PAGES = {
    "home": {"en": "/en/", "fr": "/fr/"},
    "release list": {"en": "/en/releases/", "fr": "/fr/communiques/"},
    "year archive": {"en": "/en/releases/2021/", "fr": "/fr/communiques/2021/"},
    "month archive": {"en": "/en/releases/2021/05/", "fr": "/fr/communiques/2021/05/"},
    "release": {
        "en": DEMO_RELEASE,
        "fr": DEMO_RELEASE.replace("/en/releases/", "/fr/communiques/"),
    },
    "campaigns": {"en": "/en/campaigns/", "fr": "/fr/campagnes/"},
    "campaign": {
        "en": "/en/campaigns/national-police-week-2021/",
        "fr": "/fr/campagnes/national-police-week-2021/",
    },
    "spokespeople": {"en": "/en/spokespeople/", "fr": "/fr/porte-parole/"},
    "spokesperson": {
        "en": "/en/spokespeople/bryan-larkin/",
        "fr": "/fr/porte-parole/bryan-larkin/",
    },
    "search results": {"en": "/en/search/?q=police", "fr": "/fr/recherche/?q=police"},
}
NEWEST_FRENCH_MONTH = (
    "from releases.models import Release; "
    "r = Release.objects.published().in_language('fr').order_by('-publish_at').first(); "
    "print('NEWEST', r.publication_date.strftime('%Y %m')) if r else None"
)


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    print("Installing lighthouse (npm) into .lighthouse/ …", flush=True)
    TOOLS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(TOOLS),
            "lighthouse@12",
        ],
        check=True,
    )


def start_server(env: dict) -> subprocess.Popen:
    manage = [PYTHON, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_demo", "-v0"],
        ["seed_releases", f"--count={SEED}", "--years=5", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True)
    newest_french = subprocess.run(
        manage + ["shell", "-c", NEWEST_FRENCH_MONTH],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = [line.split()[1:] for line in newest_french.splitlines() if line.startswith("NEWEST ")]
    if found and len(found[0]) == 2:
        year, month = found[0]
        PAGES["year archive"]["fr"] = f"/fr/communiques/{year}/"
        PAGES["month archive"]["fr"] = f"/fr/communiques/{year}/{month}/"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def scores(url: str, desktop: bool) -> dict[str, float | None]:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report.name}",
        ]
        if desktop:
            command.append("--preset=desktop")
        for _attempt in range(3):  # Lighthouse now and then fails to record a trace (NO_NAVSTART)
            finished = subprocess.run(command, env=os.environ | {"CHROME_PATH": CHROME})
            if finished.returncode == 0:
                break
        else:
            finished.check_returncode()
        data = json.loads(Path(report.name).read_text())
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


def main() -> int:
    install_lighthouse()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-lighthouse-"))
    env = os.environ | {
        "DEBUG": "0",
        "SECURE": "0",  # plain HTTP on 127.0.0.1: no HTTPS redirect
        "SECRET_KEY": "lighthouse-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{workdir / 'lighthouse.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "SITE_URL": BASE,
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "HOST": "127.0.0.1",
        "PORT": str(PORT),
        "WEB_CONCURRENCY": "1",
    }
    server = start_server(env)
    rows, failures = [], 0
    try:
        runs = [
            (name, lang, profile)
            for name in PAGES
            for lang in ("en", "fr")
            for profile in ("phone", "desktop")
        ]
        for number, (name, lang, profile) in enumerate(runs, start=1):
            url = BASE + PAGES[name][lang]
            print(f"[{number}/{len(runs)}] {profile:7} {url}", flush=True)
            try:
                with urllib.request.urlopen(url, timeout=10) as answer:
                    status = answer.status
                    noindex = "noindex" in answer.headers.get("X-Robots-Tag", "") or (
                        'name="robots" content="noindex' in answer.read().decode()
                    )
            except urllib.error.HTTPError as error:
                status, noindex = error.code, False
            if status != 200:
                print(f"    answered {status}: not scored", flush=True)
                failures += 1
                rows.append((name, lang, profile, dict.fromkeys(CATEGORIES, f"HTTP {status}")))
                continue
            result = scores(url, desktop=profile == "desktop")
            if noindex:  # kept out of search engines on purpose: SEO does not apply
                result["seo"] = None
            failures += sum(1 for value in result.values() if value is not None and value < 1)
            rows.append((name, lang, profile, result))
            print("    " + ", ".join(f"{c} {result[c]}" for c in CATEGORIES), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    lines = [
        "| page | language | profile | " + " | ".join(CATEGORIES) + " |",
        "|---|---|---|" + "---:|" * len(CATEGORIES),
    ]
    for name, lang, profile, result in rows:
        cells = [
            "n/a"
            if result[c] is None
            else result[c]
            if isinstance(result[c], str)
            else str(round(result[c] * 100))
            for c in CATEGORIES
        ]
        lines.append(f"| {name} | {lang} | {profile} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "lighthouse.md").write_text(table + "\n")
    print(f"{failures} score(s) under 100" if failures else "Every score is 100.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
