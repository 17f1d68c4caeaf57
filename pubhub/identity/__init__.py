"""Identity attributes: a room may ask for proof of an attribute ("lives in Nijmegen", "is 16 or
older") without the hub learning more than it needs (DESIGN.md, Identity).

- `verifier.py`: the one interface a verifier implements (start a session, check its proof);
- `registry.py`: verifiers found through the entry-point group `pubhub.identity`, chosen in
  configuration (PUBHUB_IDENTITY_VERIFIERS), so a third party can ship one as a package;
- `yivi.py`: Yivi (IRMA) disclosure sessions at the agency's own Yivi server;
- `static.py`: a verifier for development and demos, refused unless explicitly enabled.
"""
