"""Background work, through Django's tasks API (the django-tasks backport): the code names no
queue; settings.TASKS chooses the database (quick start) or RQ on Redis (production)."""

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
def send_confirmation(subscriber_id: int, consent_id: int) -> bool:
    from alerts import subscriptions

    return subscriptions.send_confirmation(subscriber_id, consent_id)


@task()
def send_already_subscribed(subscriber_id: int) -> bool:
    from alerts import subscriptions

    return subscriptions.send_already_subscribed(subscriber_id)


@task()
def ping_websub_hub(feed_urls: list[str]) -> int:
    from alerts import websub

    return websub.ping(feed_urls)


@task()
def dispatch_alerts() -> int:
    """The dispatcher as a task, for a queue's own scheduler (rq cron, for example)."""
    from alerts import dispatch

    return dispatch.dispatch().tasks_enqueued
