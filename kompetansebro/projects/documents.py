"""The project report as PDF (WeasyPrint, local files only — kompetansebro/core/pdf.py): the project (owner,
leader, region, scheme, period, overall goal), its result goals with activities done and results, the
activities, the economy (budget and actual costs until the period's end, the financing plan and the
co-financing check) and the status report's answers and economic report."""

from django.conf import settings
from django.template.loader import render_to_string

from kompetansebro.core.pdf import render_pdf
from kompetansebro.projects.models import Activity, ResultGoal, StatusReport
from kompetansebro.projects.selectors_economy import actual_vs_budget, budget_lines, financing_sources, project_check
from kompetansebro.projects.services.reports import report_answers, report_questions, requires_economic_report


def report_context(report: StatusReport) -> dict:
    """Everything the document shows. A fixed number of queries."""
    project = report.project
    lines = budget_lines(project, until=report.period_end)
    sources = financing_sources(project)
    return {
        "project": project,
        "report": report,
        "goals": list(ResultGoal.objects.filter(project=project).order_by("code", "pk")),
        "activities": list(
            Activity.objects.filter(project=project)
            .select_related("goal", "responsible_person", "responsible_organisation")
            .order_by("starts_on", "pk")
        ),
        "lines": lines,
        "chart": actual_vs_budget(lines),
        "sources": sources,
        "check": project_check(project, lines=lines, sources=sources),
        "answers": report_answers(report, report_questions(report)),
        "economic_required": requires_economic_report(report),
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def report_pdf(report: StatusReport) -> bytes:
    return render_pdf(render_to_string("projects/documents/report_pdf.html", report_context(report)))


def report_filename(report: StatusReport) -> str:
    return f"prosjektrapport-{report.project.slug}-{report.period_end:%Y-%m-%d}.pdf"
