from tests.alerts.support import hub, send_through, smtp_server  # noqa: F401 - fixtures
