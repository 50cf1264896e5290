"""The notice, decisions, attendance, minutes and calendars of meetings (namespace "forums", under /fora/)."""

from django.urls import path

from kompetansebro.forums.views import documents, minutes

urlpatterns = [
    path("<slug:slug>/kalender.ics", documents.forum_ical, name="forum_ical"),
    path("<slug:slug>/moter/<int:pk>/kalender.ics", documents.meeting_ical, name="meeting_ical"),
    path("<slug:slug>/moter/<int:pk>/innkalling/", documents.notice, name="notice"),
    path("<slug:slug>/moter/<int:pk>/innkalling.pdf", documents.notice_pdf, name="notice_pdf"),
    path("<slug:slug>/moter/<int:pk>/innkalling/send/", minutes.notice_send, name="notice_send"),
    path("<slug:slug>/moter/<int:pk>/avholdt/", minutes.meeting_held, name="meeting_held"),
    path("<slug:slug>/moter/<int:pk>/oppmote/", minutes.attendance_edit, name="attendance_edit"),
    path("<slug:slug>/moter/<int:pk>/protokoll/", minutes.minutes, name="minutes"),
    path("<slug:slug>/moter/<int:pk>/protokoll.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("<slug:slug>/moter/<int:pk>/protokoll/utkast/", minutes.minutes_draft, name="minutes_draft"),
    path("<slug:slug>/moter/<int:pk>/protokoll/godkjenn/", minutes.minutes_approve, name="minutes_approve"),
    path("<slug:slug>/moter/<int:pk>/protokoll/ny-versjon/", minutes.minutes_revise, name="minutes_revise"),
    path("<slug:slug>/saker/<int:pk>/vedtak/", minutes.decision_edit, name="decision_edit"),
]
