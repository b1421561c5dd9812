"""Turning an admin change page back into the POST its Save button would send."""

import datetime


def _add_form(data, form):
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)


def change_form_data(response):
    """The data of every form on an admin change page, as the browser would post it."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in formset.forms:
            _add_form(data, form)
    return data


def errors_of(response):
    """Every error message the change page shows, for the form and its inlines."""
    return [str(message) for error_list in response.context["errors"] for message in error_list]


# The admin speaks the site's language, French, as its editors read it: messages are
# asserted in French, with the no-break spaces of French typography.
NBSP = "\N{NO-BREAK SPACE}"


def quoted(text):
    """Text between French quotation marks: «\xa0text\xa0»."""
    return f"«{NBSP}{text}{NBSP}»"


def not_found(words):
    """The end of the message refusing a passage: the words the article lacks."""
    return f"Introuvable{NBSP}: {quoted(words)}."
