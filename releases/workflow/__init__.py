"""Authoring and the publishing workflow: every state change, who may make it, previews,
and the release admin."""
