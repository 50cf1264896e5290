"""A project's budget, financing plan, actual costs and status reports (the "projects" namespace)."""

from django.urls import path

from kompetansebro.projects.views import economy, reports

urlpatterns = [
    path("<slug:slug>/budsjett/", economy.budget_edit, name="budget_edit"),
    path("<slug:slug>/budsjett.xlsx", economy.budget_xlsx, name="budget_xlsx"),
    path("<slug:slug>/finansiering/", economy.financing_edit, name="financing_edit"),
    path("<slug:slug>/kostnader/", economy.cost_list, name="cost_list"),
    path("<slug:slug>/kostnader/ny/", economy.cost_create, name="cost_create"),
    path("<slug:slug>/kostnader/<int:pk>/endre/", economy.cost_edit, name="cost_edit"),
    path("<slug:slug>/kostnader/<int:pk>/slett/", economy.cost_delete, name="cost_delete"),
    path("<slug:slug>/rapporter/planlegg/", reports.report_schedule, name="report_schedule"),
    path("<slug:slug>/rapporter/<int:pk>/", reports.report, name="report"),
    path("<slug:slug>/rapporter/<int:pk>/fyll-ut/", reports.report_edit, name="report_edit"),
    path("<slug:slug>/rapporter/<int:pk>/send-inn/", reports.report_submit, name="report_submit"),
    path("<slug:slug>/rapporter/<int:pk>/rapport.pdf", reports.report_pdf, name="report_pdf"),
    path("<slug:slug>/rapporter/<int:pk>/orientering/", reports.orientation_task, name="orientation_task"),
]
