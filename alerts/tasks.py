"""Background work, through Django's tasks API (the django-tasks backport): the code names no
queue; settings.TASKS chooses the database (quick start) or RQ on Redis (production). The
subscription emails' tasks live beside their code in ``alerts.subscriptions``."""

from django_tasks import task


@task()
def send_alerts(delivery_ids: list[int]) -> int:
    from alerts import sending

    return sending.send_alerts(delivery_ids)


@task()
def send_digests(groups: list[list[int]]) -> int:
    from alerts import sending

    return sending.send_digests(groups)


@task()
def ping_websub_hub(feed_urls: list[str]) -> int:
    from alerts import websub

    return websub.ping(feed_urls)
