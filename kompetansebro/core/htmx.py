def wants_partial(request) -> bool:
    """An htmx request for the results only; a history restore needs the whole page."""
    return bool(request.htmx and not request.htmx.history_restore_request)
