"""The inbound traffic an agency really gets, for bench/inbox.py: replies to its posts,
mentions of its accounts, follows and unfollows, likes and boosts, and a few notes that concern
nobody here. Every activity but the last kind must be written; `Expected` says what the API
must show once all of them are applied, so the benchmark can tell "answered" from "done".

Order matters only within an actor (its lane keeps arrival order): each actor's Follow comes in
the first third of the run, its Undo in the second and its re-Follow in the last, so with 64
requests in flight an Undo never overtakes its Follow."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tests.support.peer import PUBLIC, PeerActor, RemotePeer

REPLY = "<p>Dank voor het bericht! Wanneer komt de wijkraad weer bij elkaar, en kan ik inspreken?</p>"
MIX = {"reply": 0.6, "mention": 0.1, "follow": 0.1, "reaction": 0.1, "unrelated": 0.1}


@dataclass
class LocalPost:
    id: str  # the API id
    uri: str


@dataclass
class Expected:
    """What the API shows when everything is applied."""
    replies: dict[str, int] = field(default_factory=dict)  # post id → replies_count
    favourites: dict[str, int] = field(default_factory=dict)
    reblogs: dict[str, int] = field(default_factory=dict)
    followers: int = 0
    stored_notes: int = 0  # remote notes kept (replies and mentions)
    accepts: int = 0  # Accept deliveries queued for the Follows


def build_mix(peer: RemotePeer, actors: list[PeerActor], account_uri: str, posts: list[LocalPost],
              count: int, tag: str, seed: int = 7) -> tuple[list[dict], Expected]:
    """`count` activities in the MIX proportions, shuffled (follows kept in their thirds)."""
    rng = random.Random(seed)
    expected = Expected()
    follows = _follows(peer, actors, account_uri, int(count * MIX["follow"]), tag, expected)
    others: list[dict] = []
    others += _replies(peer, actors, posts, int(count * MIX["reply"]), tag, expected, rng)
    others += _mentions(peer, actors, account_uri, int(count * MIX["mention"]), tag, expected)
    others += _reactions(peer, actors, posts, int(count * MIX["reaction"]), tag, expected, rng)
    others += _unrelated(peer, actors, count - sum(map(len, follows)) - len(others), tag)
    rng.shuffle(others)
    return _interleave_thirds(others, follows), expected


def _interleave_thirds(others: list[dict], follows: list[list[dict]]) -> list[dict]:
    """Spread round r of the follows evenly over third r of the run."""
    rounds = len(follows)
    size = -(-len(others) // rounds) if rounds else len(others)
    out: list[dict] = []
    for number in range(max(rounds, 1)):
        part = others[number * size:(number + 1) * size]
        extra = follows[number] if rounds else []
        step = max(1, len(part) // (len(extra) + 1))
        merged = []
        for index, activity in enumerate(part):
            merged.append(activity)
            if extra and index % step == step - 1:
                merged.append(extra.pop(0))
        out += merged + extra
    return out


def _replies(peer, actors, posts, count, tag, expected, rng) -> list[dict]:
    activities = []
    for number in range(count):
        actor, post = actors[number % len(actors)], rng.choice(posts)
        note = peer.note(actor, REPLY, in_reply_to=post.uri, note_id=f"{actor.uri}/statuses/{tag}-r{number}")
        activities.append(_create(peer, actor, note))
        expected.replies[post.id] = expected.replies.get(post.id, 0) + 1
    expected.stored_notes += count
    return activities


def _mentions(peer, actors, account_uri, count, tag, expected) -> list[dict]:
    activities = []
    for number in range(count):
        actor = actors[number % len(actors)]
        note = peer.note(actor, f'<p><a href="{account_uri}">@gemeente</a> de lantaarnpaal op de hoek is kapot</p>',
                         to=[account_uri], cc=[], note_id=f"{actor.uri}/statuses/{tag}-m{number}",
                         tag=[{"type": "Mention", "href": account_uri, "name": "@gemeente"}])
        activities.append(_create(peer, actor, note))
    expected.stored_notes += count
    return activities


def _follows(peer, actors, account_uri, count, tag, expected) -> list[list[dict]]:
    """Three rounds (Follow, Undo, Follow again) over count // 3 actors."""
    followers = actors[:max(1, min(len(actors), count // 3))]
    rounds: list[list[dict]] = [[], [], []]
    for actor in followers:
        first = peer.activity("Follow", actor, account_uri, id=f"{actor.uri}#{tag}-follow-1")
        rounds[0].append(first)
        rounds[1].append(peer.activity("Undo", actor, first, id=f"{actor.uri}#{tag}-undo-1"))
        rounds[2].append(peer.activity("Follow", actor, account_uri, id=f"{actor.uri}#{tag}-follow-2"))
    expected.followers = len(followers)
    expected.accepts = 2 * len(followers)
    return rounds


def _reactions(peer, actors, posts, count, tag, expected, rng) -> list[dict]:
    """Likes and Announces, each (actor, post, kind) at most once: each is counted once."""
    combos = [(actor, post, kind) for actor in actors for post in posts for kind in ("Like", "Announce")]
    activities = []
    for number, (actor, post, kind) in enumerate(rng.sample(combos, min(count, len(combos)))):
        activities.append(peer.activity(kind, actor, post.uri, id=f"{actor.uri}#{tag}-{kind.lower()}-{number}",
                                        **({"to": [PUBLIC]} if kind == "Announce" else {})))
        counts = expected.favourites if kind == "Like" else expected.reblogs
        counts[post.id] = counts.get(post.id, 0) + 1
    return activities


def _unrelated(peer, actors, count, tag) -> list[dict]:
    """Public notes by actors nobody here follows, answering nothing of ours: not kept."""
    activities = []
    for number in range(count):
        actor = actors[number % len(actors)]
        note = peer.note(actor, "<p>Mooi weer vandaag aan de Waal.</p>", note_id=f"{actor.uri}/statuses/{tag}-u{number}")
        activities.append(_create(peer, actor, note))
    return activities


def _create(peer: RemotePeer, actor: PeerActor, note: dict) -> dict:
    activity = peer.create(actor, note)
    activity["id"] = note["id"] + "/activity"
    return activity
