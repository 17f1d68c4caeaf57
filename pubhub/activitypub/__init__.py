"""The protocol: ActivityStreams vocabulary and documents, HTTP signatures, the guarded HTTP
client, remote actors and keys, WebFinger, and the delivery queue. It knows nothing of rooms,
moderation or identity; it consults the policy seam (`pubhub.policy`) it is given."""
