"""What every HTTP entry point shares: application keys, middlewares, the principal of an
authenticated request, parameters and JSON responses. The app itself is wired in
`pubhub.server`."""
