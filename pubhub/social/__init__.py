"""The social domain: statuses, follows, reactions, remote notes, and who may see what."""
