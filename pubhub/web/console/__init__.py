"""The moderator console (/admin): server-rendered pages for moderators and admins, on the same
domain functions as the admin API (moderation/, rooms/, accountability/), in Dutch and English
(web/i18n.py). No script; every form carries a CSRF token; the session is a cookie of its own
(accounts/console_sessions.py) that the API never takes."""
