"""Federation: WebFinger, NodeInfo, actor and collection documents, inbox, outbox, delivery."""
