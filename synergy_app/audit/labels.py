"""The audit log in words: what each recorded action and each kind of object is called, in Swedish and English.

Entries keep their stable keys (``calendar.call.follow``, ``calls``): filters and exports use them. People
reading the log see these names instead; a key without a name reads as a plain "Ändring" (a test checks that
every action the code records has a name).
"""

from __future__ import annotations

from ..i18n import pick

ACTIONS: dict[str, tuple[str, str]] = {
    "calendar.call.archive": ("Arkiverade en utlysning", "Archived a call"),
    "calendar.call.create": ("Lade in en utlysning", "Added a call"),
    "calendar.call.follow": ("Följer en utlysning", "Followed a call"),
    "calendar.call.unfollow": ("Slutade följa en utlysning", "Stopped following a call"),
    "calendar.call.update": ("Ändrade en utlysning", "Changed a call"),
    "calendar.coordination.add": ("Lade till en utlysning i en samordning", "Added a call to a coordinated set"),
    "calendar.coordination.create": ("Samordnade utlysningar", "Coordinated calls"),
    "calendar.coordination.remove": ("Tog bort en utlysning ur en samordning", "Removed a call from a coordinated set"),
    "calendar.feed.subscribe": ("Prenumererar på en finansiärs kalender", "Subscribed to a funder's calendar"),
    "calendar.feed.token": ("Skapade en ny adress till sin kalender", "Made a new address for their calendar feed"),
    "calendar.feed.unsubscribe": ("Slutade prenumerera på en finansiärs kalender",
                                  "Unsubscribed from a funder's calendar"),
    "calendar.import": ("Läste in utlysningar", "Imported calls"),
    "deminimis.grant.add": ("Förde in ett de minimis-stöd", "Recorded a de minimis grant"),
    "deminimis.grant.supersede": ("Ersatte ett de minimis-stöd", "Superseded a de minimis grant"),
    "deminimis.member.add": ("Lade till ett företag i ett enda företag", "Added a company to a single undertaking"),
    "dialogue.action.add": ("Lade till en uppföljning", "Added a follow-up action"),
    "dialogue.action.status": ("Ändrade status för en uppföljning", "Changed a follow-up action's status"),
    "dialogue.feedback.add": ("Lämnade återkoppling", "Gave feedback"),
    "dialogue.horizon_note.add": ("Skrev en spaningsanteckning", "Wrote a horizon note"),
    "dialogue.presentation.save": ("Sparade en presentation", "Saved a presentation"),
    "dialogue.slot.end": ("Avslutade ett pass", "Ended a slot"),
    "dialogue.slot.note": ("Skrev en anteckning till ett pass", "Wrote a note on a slot"),
    "dialogue.slot.start": ("Startade ett pass", "Started a slot"),
    "dialogues.booking_cancelled": ("Avbokade ett pass", "Cancelled a booking"),
    "dialogues.booking_moved": ("Flyttade en bokning", "Moved a booking"),
    "dialogues.invitation_answered": ("Svarade på en inbjudan", "Answered an invitation"),
    "dialogues.invitations_sent": ("Skickade inbjudningar", "Sent invitations"),
    "dialogues.placement_accepted": ("Godtog en placering i schemat", "Accepted a placement in the schedule"),
    "dialogues.regions_invited": ("Bjöd in regioner", "Invited regions"),
    "dialogues.round_cancelled": ("Ställde in en omgång", "Cancelled a round"),
    "dialogues.round_created": ("Skapade en omgång", "Created a round"),
    "dialogues.round_updated": ("Ändrade en omgång", "Changed a round"),
    "dialogues.schedule_applied": ("Lade schemat", "Applied the schedule"),
    "dialogues.series_next_created": ("Skapade nästa omgång i en serie", "Created the next round of a series"),
    "dialogues.slot_booked": ("Bokade ett pass", "Booked a slot"),
    "dialogues.slot_locked": ("Låste ett pass", "Locked a slot"),
    "dialogues.slot_unlocked": ("Låste upp ett pass", "Unlocked a slot"),
    "dialogues.status_changed": ("Ändrade en omgångs status", "Changed a round's status"),
    "dialogues.warnings_acknowledged": ("Kvitterade varningar i schemat", "Acknowledged schedule warnings"),
    "match.added": ("Lade till en matchning", "Added a match"),
    "match.confirmed": ("Bekräftade en matchning", "Confirmed a match"),
    "match.rejected": ("Avvisade en matchning", "Rejected a match"),
    "notify.outbox.resend": ("Skickade om ett e-postmeddelande", "Resent an e-mail message"),
    "notify.preferences": ("Ändrade sina aviseringar", "Changed their notification settings"),
    "notify.unsubscribe": ("Avslutade en avisering", "Unsubscribed from a notification"),
    "priority.create": ("Lade till en prioritering", "Added a priority"),
    "project.actuals.delete": ("Tog bort en faktisk kostnad", "Deleted an actual cost"),
    "project.actuals.update": ("Ändrade faktiska kostnader", "Changed actual costs"),
    "project.budget.save": ("Sparade en budget", "Saved a budget"),
    "project.call.link": ("Kopplade ett projekt till en utlysning", "Linked a project to a call"),
    "project.call.unlink": ("Tog bort ett projekts koppling till en utlysning", "Unlinked a project from a call"),
    "project.cost_types.save": ("Sparade ett projekts kostnadsslag", "Saved a project's cost types"),
    "project.create": ("Skapade ett projekt", "Created a project"),
    "project.demo": ("Lade in exempelprojektet", "Loaded the example project"),
    "project.description.save": ("Sparade en projektbeskrivning", "Saved a project description"),
    "project.import": ("Läste in ett projekt", "Imported a project"),
    "project.partner.add": ("Lade till en partner", "Added a partner"),
    "project.partner.remove": ("Tog bort en partner", "Removed a partner"),
    "project.partner.update": ("Ändrade en partner", "Changed a partner"),
    "project.ruling.link": ("Kopplade ett avgörande till ett projekt", "Linked a ruling to a project"),
    "project.update": ("Ändrade ett projekt", "Changed a project"),
    "reference.seed": ("Läste in referensdata", "Loaded the reference data"),
    "stateaid.precedent.link": ("Kopplade ett prejudikat", "Linked a precedent"),
    "stateaid.question.follow": ("Följer en fråga i avgörandeloggen", "Followed a question of the ruling log"),
    "stateaid.question.unfollow": ("Slutade följa en fråga", "Stopped following a question"),
    "stateaid.ruling.agree": ("Kom överens om ett avgörande", "Agreed a ruling"),
    "stateaid.ruling.create": ("Skrev ett utkast till avgörande", "Drafted a ruling"),
    "stateaid.ruling.revise": ("Reviderade ett avgörande", "Revised a ruling"),
    "stateaid.ruling.supersede": ("Ersatte ett avgörande", "Superseded a ruling"),
    "token.create": ("Skapade en API-nyckel", "Created an API token"),
    "token.revoke": ("Återkallade en API-nyckel", "Revoked an API token"),
    "user.create": ("Skapade ett konto", "Created an account"),
    "user.deactivate": ("Stängde av ett konto", "Deactivated an account"),
    "user.locale": ("Bytte språk", "Changed language"),
    "user.login": ("Loggade in", "Logged in"),
    "user.password": ("Bytte lösenord", "Changed password"),
    "user.reactivate": ("Öppnade ett konto igen", "Reactivated an account"),
    "user.remove": ("Tog bort ett konto", "Removed an account"),
    "user.update": ("Ändrade ett konto", "Changed an account"),
}

OBJECTS: dict[str, tuple[str, str]] = {
    "api_tokens": ("API-nyckel", "API token"),
    "areas": ("Område", "Area"),
    "calendar_feed_tokens": ("Kalenderadress", "Calendar feed address"),
    "call_coordination_sets": ("Samordning av utlysningar", "Coordinated set of calls"),
    "calls": ("Utlysning", "Call"),
    "de_minimis_grants": ("De minimis-stöd", "De minimis grant"),
    "de_minimis_members": ("Företag i ett enda företag", "Member of a single undertaking"),
    "de_minimis_undertakings": ("Ett enda företag", "Single undertaking"),
    "dialogue_bookings": ("Bokning", "Booking"),
    "dialogue_feedback": ("Återkoppling", "Feedback"),
    "dialogue_followup_actions": ("Uppföljning", "Follow-up action"),
    "dialogue_horizon_notes": ("Spaningsanteckning", "Horizon note"),
    "dialogue_invitations": ("Inbjudan", "Invitation"),
    "dialogue_presentations": ("Presentation", "Presentation"),
    "dialogue_rounds": ("Snabbdialogomgång", "Snabbdialog round"),
    "dialogue_slot_notes": ("Anteckning till ett pass", "Slot note"),
    "dialogue_slots": ("Pass", "Slot"),
    "match_decisions": ("Matchning", "Match"),
    "notification_preferences": ("Aviseringar", "Notification settings"),
    "organisations": ("Organisation", "Organisation"),
    "outbox_messages": ("E-postmeddelande", "E-mail message"),
    "priorities": ("Prioritering", "Priority"),
    "project_actual_costs": ("Faktisk kostnad", "Actual cost"),
    "project_partners": ("Projektpartner", "Project partner"),
    "projects": ("Projekt", "Project"),
    "reference": ("Referensdata", "Reference data"),
    "regions": ("Region", "Region"),
    "ruling_question_follows": ("Följd fråga", "Followed question"),
    "rulings": ("Avgörande", "Ruling"),
    "users": ("Konto", "Account"),
}


def action_label(action: str) -> str:
    names = ACTIONS.get(action)
    return pick(*names) if names else pick("Ändring", "Change")


def object_label(object_type: str | None) -> str:
    if not object_type:
        return ""
    names = OBJECTS.get(object_type)
    return pick(*names) if names else pick("Post", "Record")
