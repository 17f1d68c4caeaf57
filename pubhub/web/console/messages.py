"""What the domain answers in English and the console shows in the page's language: marked here
for the catalogue (`N_` marks without translating), translated where shown (`Visit._` looks a
message up by its English text; one not listed here stays English)."""

from __future__ import annotations

from ..i18n import N_


DOMAIN_MESSAGES = (
    N_("Wrong name, e-mail address or password."),  # accounts.sign_in.REFUSED
    N_("This action is not allowed"),  # moderation.permissions and rooms.authority
    N_("Record not found"),
    N_("This report is resolved already"),  # moderation.resolutions
    N_("the ground must be one of the rules offered, or a law"),
    N_("the action must be one of those offered"),
    N_("The report names no posts that are still there to remove"),
    N_("a decision must name its ground: the rule or the law it applies"),  # accountability.reasons
    N_("You cannot moderate your own account"),  # moderation.accounts
    N_("only a local account can be disabled (it is this server's sign-in)"),
    N_("This action is not allowed: only an admin moderates staff"),
    N_("Validation failed: reason: can't be blank"),  # rooms.queue and rooms.members
    N_("the post was deleted: reject it instead"),
    N_("its author is banned from this room: reject it instead"),
    N_("this account is banned from the room: unban it first"),
    N_("a moderator of the room's hub cannot be banned from it"),
    # identity.login's refusals of a sign-in are in web/messages.py (SIGN_IN_MESSAGES), the public pages' too
    N_("a different moderator decides this appeal: not the one who took the decision, "  # moderation.appeals
       "nor the one who appealed"),
    N_("this appeal was upheld already"),
    N_("this appeal was reversed already"),
    N_("explain the outcome (up to 5000 characters): the appellant reads it"),
    N_("the removed post was purged after the appeal period: it cannot be restored"),  # moderation.removals
    N_("only a report about an account of another server can be forwarded"),  # moderation.flags
)
