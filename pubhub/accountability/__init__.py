"""Accountability for a public body, below the parts that decide: statements of reasons for every
decision that removes or restricts content or an account (`reasons.py`, EU Digital Services Act
art. 17) and the append-only audit log (`audit.py`). Moderation, rooms and identity all record
here, in their decisions' own transactions."""
