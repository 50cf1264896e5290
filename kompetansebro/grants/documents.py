"""The allocation decision as a PDF: the round, its frame, the forum's decision (or the note it was adopted
with) and the allocations with the sum and what is left of the frame. Rendered by WeasyPrint without network
access (the forums' local-only URL fetcher: our own static files, nothing else).

The reader decides what is in it, as on the round page: before the decision the round's managers get the
proposal, marked as a proposal; everyone else sees only adopted allocations."""

from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from kompetansebro.forums.documents import render_pdf
from kompetansebro.grants.models import GrantRound, RoundStatus
from kompetansebro.grants.selectors_rounds import RoundMoney
from kompetansebro.grants.services.allocations import round_decision


def allocation_context(grant_round: GrantRound, money: RoundMoney, *, manages: bool) -> dict:
    decided = grant_round.status in (RoundStatus.DECIDED, RoundStatus.CLOSED)
    rows = money.adopted_rows if decided or not manages else money.proposed_rows + money.adopted_rows
    total = sum((row.allocation.amount for row in rows), Decimal("0"))
    return {
        "round": grant_round,
        "scheme": grant_round.scheme,
        "money": money,
        "rows": rows,
        "is_proposal": not decided and manages,
        "decision": round_decision(grant_round),
        "total": total,
        "left": money.frame - total,
        "site_url": settings.SITE_URL.rstrip("/"),
        "today": timezone.localdate(),
    }


def allocation_pdf(grant_round: GrantRound, money: RoundMoney, *, manages: bool) -> bytes:
    html = render_to_string(
        "grants/documents/allocation_pdf.html", allocation_context(grant_round, money, manages=manages)
    )
    return render_pdf(html)


def allocation_filename(grant_round: GrantRound) -> str:
    return f"{slugify(f'tildeling-{grant_round.name}')[:80] or f'tildeling-{grant_round.pk}'}.pdf"
