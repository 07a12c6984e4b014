"""The kinds of message the workspace sends, each one a setting people can turn off."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    label_sv: str
    label_en: str
    default: bool = True


KINDS = (
    Kind("round_invitation", "Inbjudan till en snabbdialog", "Invitation to a snabbdialog"),
    Kind("booking_confirmed", "Bekräftelse av bokat pass", "Confirmation of a booked slot"),
    Kind("booking_moved", "Flyttat pass", "Moved slot"),
    Kind("booking_cancelled", "Inställt pass eller omgång", "Cancelled slot or round"),
    Kind("session_reminder", "Påminnelse före snabbdialogen", "Reminder before the snabbdialog"),
    Kind("feedback_request", "Begäran om återkoppling efter en hållen omgång",
         "Request for feedback after a held round"),
    Kind("followup_due", "Uppföljningsåtgärd som förfaller eller är försenad", "Follow-up action due or overdue"),
    Kind("call_dates_changed", "Ändrade datum i en utlysning jag följer", "Changed dates of a call I follow"),
    Kind("call_deadline", "Sista ansökningsdag närmar sig i en utlysning jag följer",
         "Deadline approaching in a call I follow"),
    Kind("ruling_published", "Avgörande från statsstödstaskforcen publicerat eller reviderat",
         "State-aid taskforce ruling published or revised"),
    Kind("project_assessment", "Projekt som behöver statsstödstaskforcens bedömning",
         "Project asking for the state-aid taskforce's assessment"),
    Kind("digest", "Veckosammanfattning av allt ovan", "Weekly digest of all of the above", default=False),
)
BY_KEY = {kind.key: kind for kind in KINDS}
