"""A round's page, its priority lists, the allocation proposal, the forum case, adoption and payments, and the
files (the "grants" namespace, under /tilskudd/)."""

from django.urls import path

from kompetansebro.grants.views import rounds

urlpatterns = [
    path("runder/<int:pk>/", rounds.round_detail, name="round"),
    path("runder/<int:pk>/historikk/", rounds.round_history, name="round_history"),
    path("runder/<int:pk>/prioriteringer/ny/", rounds.priority_list_create, name="priority_list_create"),
    path("runder/<int:pk>/prioriteringer/<int:list_pk>/", rounds.priority_list_detail, name="priority_list"),
    path("runder/<int:pk>/prioriteringer/<int:list_pk>/endre/", rounds.priority_list_edit, name="priority_list_edit"),
    path(
        "runder/<int:pk>/prioriteringer/<int:list_pk>/send-inn/",
        rounds.priority_list_submit,
        name="priority_list_submit",
    ),
    path("runder/<int:pk>/tildelinger/forslag/", rounds.allocation_propose, name="allocation_propose"),
    path("runder/<int:pk>/tildelinger/ny/", rounds.allocation_create, name="allocation_create"),
    path("runder/<int:pk>/tildelinger/<int:allocation_pk>/endre/", rounds.allocation_edit, name="allocation_edit"),
    path("runder/<int:pk>/tildelinger/sak/", rounds.allocation_case, name="allocation_case"),
    path("runder/<int:pk>/tildelinger/vedta/", rounds.allocation_adopt, name="allocation_adopt"),
    path("runder/<int:pk>/tildelinger.xlsx", rounds.allocations_xlsx, name="allocations_xlsx"),
    path("runder/<int:pk>/tildelinger.pdf", rounds.allocation_pdf, name="allocation_pdf"),
    path("runder/<int:pk>/utbetalinger.xlsx", rounds.payments_xlsx, name="payments_xlsx"),
    path(
        "runder/<int:pk>/tildelinger/<int:allocation_pk>/utbetalinger/ny/",
        rounds.payment_create,
        name="payment_create",
    ),
    path("runder/<int:pk>/utbetalinger/<int:payment_pk>/endre/", rounds.payment_edit, name="payment_edit"),
]
