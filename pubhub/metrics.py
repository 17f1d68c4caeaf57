"""The Prometheus metrics every layer records into (prometheus-client's default registry).

Counters and histograms are per process; queue depths and ages are read from the database
when scraped (see federation's metrics endpoint), so every process shows the same, whole queue.
Labels are kept to a few values each (route templates, not paths; exception class names, not
messages): every label value is a time series kept for the process's life."""

from __future__ import annotations

import time

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("pubhub_http_requests", "HTTP requests answered, by route template, method and status",
                        ["route", "method", "status"])
HTTP_SECONDS = Histogram("pubhub_http_request_duration_seconds", "Time to answer an HTTP request, by route template",
                         ["route"])
INBOX = Counter("pubhub_inbox_activities", "Activities POSTed to an inbox: accepted (queued), duplicate (seen "
                "before), or refused, with the refusal's kind as reason", ["outcome", "reason"])
INBOX_PROCESSED = Counter("pubhub_inbox_processed", "Queued inbound activities the worker finished, by outcome",
                          ["outcome"])
DELIVERIES = Counter("pubhub_deliveries", "Delivery attempts, by outcome: done, retry or failed (given up)",
                     ["outcome"])
OUTBOUND = Counter("pubhub_outbound_requests", "Outbound HTTP requests (GET: fetches, POST: deliveries), by "
                   "method and outcome (status class, or the error's kind)", ["method", "outcome"])
DATABASE_SECONDS = Histogram("pubhub_database_seconds", "Time inside database sessions (write: including the "
                             "wait for SQLite's writer lock), by kind", ["kind"])
QUEUE_DEPTH = Gauge("pubhub_queue_depth", "Rows waiting in a queue (inbox: pending activities; deliveries: "
                    "pending deliveries)", ["queue"])
QUEUE_OLDEST = Gauge("pubhub_queue_oldest_age_seconds", "Age of the oldest waiting row in a queue (0 when empty)",
                     ["queue"])


class timed:
    """`with timed(HISTOGRAM, label, ...):` observes how long the block took. (A class, not a
    generator: it runs around every request and every database session.)"""

    __slots__ = ("child", "started")

    def __init__(self, histogram: Histogram, *labels: str):
        self.child = labelled(histogram, *labels)

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *_exc) -> None:
        self.child.observe(time.perf_counter() - self.started)


_CHILDREN: dict = {}


def labelled(metric, *labels: str):
    """metric.labels(*labels), remembered: prometheus_client takes a lock and checks the labels
    at every call, and the same few series are counted at every request."""
    key = (id(metric), labels)
    child = _CHILDREN.get(key)
    if child is None:
        child = _CHILDREN[key] = metric.labels(*labels)
    return child
