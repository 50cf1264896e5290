"""Grant schemes, their report templates, rounds' frames and the annual wheel (the "grants" namespace, under
/tilskudd/). A forum's wheel is here too, beside the schemes' wheels it is made of."""

from django.urls import path

from kompetansebro.grants.views import schemes, wheel

urlpatterns = [
    path("", schemes.scheme_list, name="scheme_list"),
    path("ordninger/ny/", schemes.scheme_create, name="scheme_create"),
    path("ordninger/<slug:slug>/", schemes.scheme_detail, name="scheme"),
    path("ordninger/<slug:slug>/endre/", schemes.scheme_edit, name="scheme_edit"),
    path("ordninger/<slug:slug>/rapportmal/", schemes.scheme_questions, name="scheme_questions"),
    path("ordninger/<slug:slug>/historikk/", schemes.scheme_history, name="scheme_history"),
    path("ordninger/<slug:slug>/runder/ny/", schemes.round_create, name="round_create"),
    path("runder/<int:pk>/endre/", schemes.round_edit, name="round_edit"),
    path("ordninger/<slug:slug>/arshjul/", wheel.wheel, name="wheel"),
    path("ordninger/<slug:slug>/arshjul/kalender.ics", wheel.scheme_ical, name="scheme_ical"),
    path("ordninger/<slug:slug>/arshjul/rull-over/", wheel.wheel_roll_over, name="wheel_roll_over"),
    path("ordninger/<slug:slug>/arshjul/steg/ny/", wheel.wheel_step_create, name="wheel_step_create"),
    path("ordninger/<slug:slug>/arshjul/steg/<int:pk>/endre/", wheel.wheel_step_edit, name="wheel_step_edit"),
    path("ordninger/<slug:slug>/arshjul/steg/<int:pk>/slett/", wheel.wheel_step_delete, name="wheel_step_delete"),
    path("arshjul/forum/<slug:slug>/", wheel.forum_wheel, name="forum_wheel"),
    path("arshjul/forum/<slug:slug>/kalender.ics", wheel.forum_wheel_ical, name="forum_wheel_ical"),
]
