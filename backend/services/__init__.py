"""Business rules as plain functions over a session: the API, the admin and the CLI call these."""
