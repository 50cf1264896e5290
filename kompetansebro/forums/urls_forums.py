"""Forums, members, meetings, the agenda and its cases, attachments (the "forums" namespace, under /fora/)."""

from django.urls import path

from kompetansebro.forums.views import cases, forums, meetings

urlpatterns = [
    path("", forums.forum_list, name="list"),
    path("ny/", forums.forum_create, name="create"),
    path("<slug:slug>/", forums.forum_detail, name="detail"),
    path("<slug:slug>/endre/", forums.forum_edit, name="edit"),
    path("<slug:slug>/historikk/", forums.forum_history, name="history"),
    path("<slug:slug>/medlemmer/", forums.forum_members, name="members"),
    path("<slug:slug>/medlemmer/ny/", forums.member_add, name="member_add"),
    path("<slug:slug>/medlemmer/<int:pk>/avslutt/", forums.member_end, name="member_end"),
    path("<slug:slug>/moter/ny/", meetings.meeting_create, name="meeting_create"),
    path("<slug:slug>/moter/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("<slug:slug>/moter/<int:pk>/endre/", meetings.meeting_edit, name="meeting_edit"),
    path("<slug:slug>/moter/<int:pk>/behovssak/", meetings.needs_case, name="needs_case"),
    path("<slug:slug>/moter/<int:pk>/saker/ny/", cases.case_create, name="case_create"),
    path("<slug:slug>/saker/<int:pk>/", cases.case_detail, name="case"),
    path("<slug:slug>/saker/<int:pk>/endre/", cases.case_edit, name="case_edit"),
    path("<slug:slug>/saker/<int:pk>/flytt/", cases.case_move, name="case_move"),
    path("<slug:slug>/saker/<int:pk>/legg-fram-behov/", cases.needs_present, name="needs_case_present"),
    path("<slug:slug>/saker/<int:pk>/vedlegg/ny/", cases.attachment_add, name="attachment_add"),
    path("<slug:slug>/vedlegg/<int:pk>/", cases.attachment_download, name="attachment"),
    path("<slug:slug>/vedlegg/<int:pk>/slett/", cases.attachment_delete, name="attachment_delete"),
]
