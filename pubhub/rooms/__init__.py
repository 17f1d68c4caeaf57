"""Hubs and their rooms: moderated ActivityPub `Group` actors (FEP-1b12) that anyone on the
fediverse joins by following and posts to by mentioning or addressing.

- `hubs.py`: hubs, their house rules and moderators;
- `directory.py`: creating, changing and finding rooms (a room is a local Group actor);
- `authority.py`: who may manage what (admins every hub; a hub's moderators only theirs);
- `verdicts.py`: the room's policy as answers: may this actor join, may this post be shared;
- `submissions.py`: `submit_post_to_room`, what a post that reaches a room goes through;
- `queue.py`: the moderators' queue: approve, reject, remove;
- `members.py`: members, join requests, bans;
- `sharing.py`: what the room federates for a decision (Announce, Undo, Lemmy's removal, a
  direct message to a refused author);
- `decisions.py`: the decisions log;
- `seam.py`: the room bans as a policy of the policy seam.

Functions take the caller's session (and the runtime for its clock, URLs and delivery queue), so
a decision, the activities it federates and its log row commit together. The one who acts is
`by`: a local account, or `OPERATOR` (None: the command line, which may do everything).
"""
