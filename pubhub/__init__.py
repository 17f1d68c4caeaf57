"""PubHub: a federated ActivityPub server for public-sector hubs."""

__version__ = "0.1.0"
