"""Posting an admin change form as a browser would: every field and inline as the page shows it."""

from django.forms import MultiWidget


def _put(data: dict, name: str, field, value) -> None:
    if value is None or value is False:
        return
    if value is True:
        data[name] = "on"
    elif isinstance(field.widget, MultiWidget):
        parts = value if isinstance(value, list | tuple) else field.widget.decompress(value)
        for index, part in enumerate(parts):
            if part is not None:
                data[f"{name}_{index}"] = str(part)
    elif isinstance(value, list | tuple):
        data[name] = [str(v) for v in value]
    else:
        data[name] = str(value)


def change_form_data(response, **changes) -> dict:
    """The data the admin change page would post unchanged, with `changes` applied."""
    data: dict = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        _put(data, name, field, form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for sub in formset.forms:
            for name, field in sub.fields.items():
                _put(data, sub.add_prefix(name), field, sub[name].value())
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data
