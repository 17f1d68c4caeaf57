"""Local accounts, bearer tokens, and the principal an authenticated request carries."""
