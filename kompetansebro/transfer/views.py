from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetansebro.core.permissions import permission_required
from kompetansebro.transfer import exports, importers
from kompetansebro.transfer.columns import COLUMNS
from kompetansebro.transfer.forms import ImportUploadForm
from kompetansebro.transfer.models import ImportBatch, ImportKind
from kompetansebro.transfer.readers import UploadError
from kompetansebro.transfer.rules import may_import_for

LIST_URLS = {ImportKind.NEEDS: "needs:list", ImportKind.OFFERINGS: "offerings:mine"}


@permission_required("transfer.import")
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch = importers.batch_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                owner=form.cleaned_data["owner"],
                upload=form.cleaned_data["file"],
            )
        except UploadError as error:
            form.add_error("file", error)
        else:
            return redirect("transfer:import_preview", pk=batch.pk)
    return render(
        request,
        "transfer/upload.html",
        {"form": form, "need_columns": COLUMNS[ImportKind.NEEDS], "offering_columns": COLUMNS[ImportKind.OFFERINGS]},
    )


def _own_batch(request, pk) -> ImportBatch:
    """Only the person who uploaded a file sees it; to everyone else it does not exist."""
    return get_object_or_404(ImportBatch.objects.select_related("owner"), pk=pk, created_by=request.user)


@permission_required("transfer.import")
def import_preview(request, pk):
    batch = _own_batch(request, pk)
    preview = importers.batch_preview(batch) if batch.committed_at is None else []
    return render(
        request,
        "transfer/preview.html",
        {
            "batch": batch,
            "preview": preview,
            "counts": importers.preview_counts(preview),
            "errors": [importers.error_text(error) for error in batch.errors],
            "list_url": reverse(LIST_URLS[batch.kind]),
            "may_commit": not batch.errors and not batch.is_expired and batch.committed_at is None,
        },
    )


@require_POST
@permission_required("transfer.import")
def import_commit(request, pk):
    batch = _own_batch(request, pk)
    if batch.is_expired and batch.committed_at is None:
        messages.error(request, _("The preview has expired. Upload the file again."))
        return redirect("transfer:import_upload")
    if not may_import_for(request.user, batch.kind, batch.owner):
        messages.error(request, _("You may no longer import for %(name)s.") % {"name": batch.owner.name})
        return redirect("transfer:import_preview", pk=batch.pk)
    try:
        counts = importers.batch_commit(actor=request.user, batch=batch)
    except importers.ImportFailed as failure:
        preview = importers.batch_preview(batch) if batch.committed_at is None else []
        return render(
            request,
            "transfer/preview.html",
            {
                "batch": batch,
                "preview": preview,
                "counts": importers.preview_counts(preview),
                "errors": [importers.error_text(error) for error in failure.errors],
                "commit_failed": True,
                "list_url": reverse(LIST_URLS[batch.kind]),
                "may_commit": False,
            },
            status=422,
        )
    messages.success(
        request,
        _("Imported: %(new)d new, %(update)d updated, %(unchanged)d unchanged.") % counts,
    )
    return redirect("transfer:import_preview", pk=batch.pk)


def export(request, name, fmt):
    """/import-eksport/eksport/behov.xlsx?<the list's filters> (also .csv; tilbud, organisasjoner)."""
    if name not in exports.EXPORTS or fmt not in ("xlsx", "csv"):
        raise Http404
    content = exports.EXPORTS[name](request.user, request.GET)
    return exports.xlsx_response(content) if fmt == "xlsx" else exports.csv_response(content)
