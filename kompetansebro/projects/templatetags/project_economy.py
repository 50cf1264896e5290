"""The economy and status report sections of the project page read their data here, so the page that includes
them (projects/_project_economy_section.html, projects/_project_reports_section.html) passes only the project.
Each tag costs a fixed number of queries."""

from django import template
from django.utils import timezone

from kompetansebro.projects.forms_reports import ScheduleForm
from kompetansebro.projects.models import ReportStatus, StatusReport
from kompetansebro.projects.selectors_economy import project_economy

register = template.Library()


@register.simple_tag
def project_economy_summary(project):
    """Budget lines with their actual costs, the financing plan, the co-financing check and the chart."""
    return project_economy(project)


@register.simple_tag
def project_report_summary(project):
    """{"reports": the project's status reports with their orientation tasks, "form": the schedule form,
    "today": …}. One query."""
    today = timezone.localdate()
    reports = list(
        StatusReport.objects.filter(project=project)
        .select_related("orientation_task", "orientation_task__forum")
        .order_by("due_on", "pk")
    )
    for report in reports:
        report.project = project
        report.is_overdue = report.status == ReportStatus.DUE and report.due_on < today
    return {"reports": reports, "form": ScheduleForm(auto_id="schedule-%s"), "today": today}
