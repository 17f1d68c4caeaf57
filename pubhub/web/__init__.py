"""HTML pages for browsers: profiles and posts (content negotiation sends browsers here)."""
