from datetime import timedelta

import rules
from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def may(perm: str, user, obj=None) -> bool:
    """The portal's rules, asked directly: a superuser holds no role it was not given."""
    return rules.has_perm(perm, user, obj)


@register.simple_tag
def settings_links() -> list:
    """The settings sections higher apps keep (teams.registry.SettingsLink), in order."""
    from ..registry import portal

    return list(portal.settings_links)


@register.filter
def in_words(duration: timedelta | None) -> str:
    """A duration as people say it: "30 minutes", "1 hour and 30 minutes", "2 days"."""
    if not duration:
        return ""
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{count} {unit}{'s' * (count != 1)}"
        for count, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if count
    ]
    if not parts:
        return "less than a minute"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@register.filter
def filter_field(field: BoundField) -> SafeString:
    """One field of a filter bar, in the markup crispy-bootstrap5 gives it (label, control,
    errors, help), written here: crispy's templates cost a bar of seven filters a couple
    of milliseconds on lists everyone opens. Forms people fill in still use crispy."""
    widget = field.field.widget
    if not isinstance(widget, (forms.widgets.Input, forms.Select)):
        raise TypeError(f"filter_field writes inputs and selects, not a {type(widget).__name__}")
    errors = field.errors
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    if is_checkbox:
        bootstrap = "form-check-input"
    elif isinstance(widget, forms.Select):
        bootstrap = "form-select"
    else:
        bootstrap = "form-control"
    css = [type(widget).__name__.lower(), widget.attrs.get("class", ""), bootstrap]
    if errors:
        css.append("is-invalid")
    # Django's attributes (required, aria-invalid, the help text), then the error too.
    attrs = field.build_widget_attrs({"class": " ".join(part for part in css if part)})
    if errors:
        helped = f"{field.auto_id}_helptext " if field.help_text else ""
        attrs["aria-describedby"] = f"{helped}{field.auto_id}_error"
    if field.auto_id and "id" not in widget.attrs:
        attrs["id"] = field.auto_id
    control = widget.render(field.html_name, field.value(), attrs, field.form.renderer)
    after = SafeString()
    if errors:
        after += format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, field.auto_id, e) for n, e in enumerate(errors, 1)),
            ),
        )
    if field.help_text:
        after += format_html(
            # Written by the portal's own forms, and not escaped, as Django's templates do.
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # noqa: S308
        )
    required, label_class = "", ""
    if field.field.required:
        required = mark_safe('<span class="asteriskField">*</span>')
        label_class = " requiredField"
    if is_checkbox:
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}</div></div>',
            field.auto_id,
            control,
            field.auto_id,
            label_class,
            field.label,
            required,
            after,
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>{}{}</div>',
        field.auto_id,
        field.auto_id,
        label_class,
        field.label,
        required,
        control,
        after,
    )
