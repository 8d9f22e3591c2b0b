"""The plain Django reference site of ``make bench`` (bench/plain/): its settings import and its
pages answer, so that the benchmark's "plain Django" column never measures an error page."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a process of its own: the plain site has its own settings (SQLite in memory here).
SCRIPT = """
from datetime import timedelta

import django
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

django.setup()
call_command("migrate", verbosity=0)
from bench.plain.items.models import Item

now = timezone.now()
Item.objects.bulk_create(
    Item(headline=f"Item {n}", slug=f"item-{n}", summary=f"Summary {n}.",
         body=f"<p>Body of item {n}.</p>", publish_at=now - timedelta(minutes=n), language="en")
    for n in range(1, 46)
)
Item.objects.create(headline="Later", slug="later", body="<p>Not yet.</p>",
                    publish_at=now + timedelta(days=1), language="en")
client = Client()
answers = {
    "/hello/": (200, b"Hello, world."),
    "/hello/?bytes=500": (200, b"Hello, world."),
    "/items/": (200, b"Item 1<"),
    "/items/?page=3": (200, b"Item 45<"),
    "/items/?page=4": (404, b""),
    f"/items/{Item.objects.get(slug='item-7').pk}/": (200, b"<p>Body of item 7.</p>"),
    f"/items/{Item.objects.get(slug='later').pk}/": (404, b""),
    "/feed/": (200, b"&lt;p&gt;Body of item 1.&lt;/p&gt;"),
}
for path, (status, expected) in answers.items():
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    assert expected in response.content, (path, response.content[:300])
assert len(client.get("/hello/?bytes=500").content) == 500
feed = client.get("/feed/").content.decode()
assert feed.count("<entry>") == 45 and "Later" not in feed, feed[:300]
print("ok")
"""


def test_plain_site_answers_on_sqlite():
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.plain.settings"}
    env.pop("PLAIN_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
