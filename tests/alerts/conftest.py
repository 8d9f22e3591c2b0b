from tests.alerts.support import send_through, smtp_server  # noqa: F401 - fixtures
