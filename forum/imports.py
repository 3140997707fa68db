"""Imports of programme data from CSV or XLSX (django-import-export): projects, and shared widgets.

Columns are headed in words, as the organiser's spreadsheets are ("Title", "Country"); countries,
sectors and choices are read by code or by name (English or Korean), so a file needs no legend.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries
from import_export import fields, resources, widgets
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ConfirmImportForm, ImportForm

from forum.choices import FinancingMode, ProjectStage
from forum.import_preview import (
    bad_rows_file,
    forget_bad_rows,
    keep_bad_rows,
    kept_bad_rows,
    preview_rows,
)
from forum.models import Edition, Project, Sector, Session

# Names the forum's own documents use that differ from the ISO short names.
COUNTRY_ALIASES = {
    "korea": "KR",
    "republic of korea": "KR",
    "rok": "KR",
    "viet nam": "VN",
    "lao pdr": "LA",
    "laos": "LA",
    "brunei": "BN",
    "brunei darussalam": "BN",
    "myanmar": "MM",
    "timor-leste": "TL",
    "east timor": "TL",
    "한국": "KR",
    "대한민국": "KR",
}


class CountryWidget(widgets.Widget):
    """A country code (`VN`) or name (`Viet Nam`, `Vietnam`, `베트남`, `Korea`) → the code."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        if len(text) == 2 and text.upper() in dict(countries):
            return text.upper()
        if text.casefold() in COUNTRY_ALIASES:
            return COUNTRY_ALIASES[text.casefold()]
        for language in ("en", "ko"):
            code = countries.by_name(text, language=language)
            if code:
                return code
        raise ValueError(_("Unknown country “%(value)s”.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return str(value or "")


class ChoiceWidget(widgets.Widget):
    """A code or its label, in either language, for a field with choices."""

    def __init__(self, choices, *, default: str = "", **kwargs):
        self.choices = choices
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.default:
                return self.default
            raise ValueError(_("This column needs a value."))
        for code, label in self.choices.choices:
            if text.casefold() in {code.casefold(), str(label).casefold()}:
                return code
        from django.utils import translation

        with translation.override("ko"):
            for code, label in self.choices.choices:
                if text == str(label):
                    return code
        allowed = ", ".join(str(label) for _code, label in self.choices.choices)
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return str(value or "")


class EditionForeignKeyWidget(widgets.ForeignKeyWidget):
    """A row of the edition being imported into, found by slug or, failing that, by name."""

    def __init__(self, model, field="slug", *, by_name: str = "", required=False, **kwargs):
        self.by_name = by_name
        self.required = required
        super().__init__(model, field=field, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = super().get_queryset(value, row, *args, **kwargs)
        if any(field.name == "edition" for field in self.model._meta.fields):
            queryset = queryset.filter(edition_id=row.get("edition"))
        return queryset

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValueError(_("This column needs a value."))
            return None
        queryset = self.get_queryset(text, row or {})
        found = queryset.filter(**{self.field: text}).first()
        if found is None and self.by_name:
            found = queryset.filter(**{f"{self.by_name}__iexact": text}).first()
        if found is None:
            raise ValueError(
                _("No %(thing)s “%(value)s” here.")
                % {"thing": self.model._meta.verbose_name, "value": text}
            )
        return found


class EditionImportResource(resources.ModelResource):
    """A resource whose rows all go into the edition chosen on the import page."""

    edition = fields.Field(
        attribute="edition", column_name="edition", widget=widgets.ForeignKeyWidget(Edition)
    )

    def __init__(self, edition: Edition | None = None, **kwargs):
        super().__init__(**kwargs)
        self.edition = edition

    def before_import(self, dataset, **kwargs):
        # The edition is chosen on the page, not typed in every row of the file.
        if self.edition is not None:
            if "edition" in dataset.headers:
                del dataset["edition"]
            dataset.append_col([self.edition.pk] * len(dataset), header="edition")


class ProjectResource(EditionImportResource):
    """ASEAN projects; re-importing the same file changes nothing (matched on edition and slug)."""

    slug = fields.Field(attribute="slug", column_name="Slug")
    title = fields.Field(attribute="title", column_name="Title")
    country = fields.Field(attribute="country", column_name="Country", widget=CountryWidget())
    sector = fields.Field(
        attribute="sector",
        column_name="Sector",
        widget=EditionForeignKeyWidget(Sector, by_name="name"),
    )
    summary = fields.Field(attribute="summary", column_name="Summary")
    implementing_agency = fields.Field(
        attribute="implementing_agency", column_name="Implementing agency"
    )
    estimated_cost_usd = fields.Field(
        attribute="estimated_cost_usd",
        column_name="Estimated cost (USD)",
        widget=widgets.DecimalWidget(),
    )
    financing_mode = fields.Field(
        attribute="financing_mode",
        column_name="Financing mode",
        widget=ChoiceWidget(FinancingMode, default=FinancingMode.OPEN),
    )
    stage = fields.Field(
        attribute="stage",
        column_name="Stage",
        widget=ChoiceWidget(ProjectStage, default=ProjectStage.CONCEPT),
    )
    session = fields.Field(
        attribute="session",
        column_name="Session",
        widget=EditionForeignKeyWidget(Session, by_name="title"),
    )

    class Meta:
        model = Project
        fields = (
            "edition",
            "slug",
            "title",
            "country",
            "sector",
            "summary",
            "implementing_agency",
            "estimated_cost_usd",
            "financing_mode",
            "stage",
            "session",
        )
        import_id_fields = ("edition", "slug")
        skip_unchanged = True
        report_skipped = True
        store_row_values = True  # the preview shows each row as read (forum/import_preview.py)
        clean_model_instances = True
        use_transactions = True
        # The preview lists each row's values; a coloured HTML diff would need inline styles.
        skip_html_diff = True

    @classmethod
    def get_display_name(cls):
        return _("Projects")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # A file may leave the slug out: it is made from the title, as the admin form does.
        titles = dataset["Title"] if "Title" in dataset.headers else [""] * len(dataset)
        slugs = dataset["Slug"] if "Slug" in dataset.headers else [""] * len(dataset)
        if "Slug" in dataset.headers:
            del dataset["Slug"]
        dataset.append_col(
            [
                str(slug or "").strip() or slugify(str(title or ""))[:50]
                for slug, title in zip(slugs, titles, strict=True)
            ],
            header="Slug",
        )


class EditionImportForm(ImportForm):
    """The import page: which edition the rows go into, then the file."""

    edition = forms.ModelChoiceField(
        Edition.objects.order_by("-number"), label=gettext_lazy("Edition")
    )
    field_order = ["edition", "resource", "import_file", "format"]


class EditionConfirmImportForm(ConfirmImportForm):
    edition = forms.ModelChoiceField(Edition.objects.all(), widget=forms.HiddenInput())


class EditionImportMixin(ImportMixin):
    """Admin import into one edition: a preview of every row with its values and, in the cell at
    fault, its errors; nothing is written until staff confirm; the good rows can be imported while
    the rows with errors are downloaded to be fixed; re-importing the same file changes nothing."""

    import_form_class = EditionImportForm
    confirm_form_class = EditionConfirmImportForm
    import_formats = [CSV, XLSX]
    import_template_name = "admin/import_export/edition_import.html"

    def get_urls(self):
        return [
            path(
                "import/bad-rows/",
                self.admin_site.admin_view(self.bad_rows_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import_bad_rows",
            ),
            *super().get_urls(),
        ]

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result, form = context.get("result"), context.get("form")
        if result is None or result.has_errors() or form is None or not form.is_valid():
            return response
        resource = self._resource_for(request, form)
        headers, rows = preview_rows(resource, result)
        bad = [row for row in rows if row.is_bad]
        context.update(
            preview_headers=headers,
            preview_rows=rows,
            good_count=len(rows) - len(bad),
            bad_count=len(bad),
        )
        if bad and len(bad) < len(rows):
            # The good rows can be imported now; the bad ones are downloaded to be fixed.
            context["confirm_form"] = self.create_confirm_form(request, import_form=form)
        return response

    def _resource_for(self, request, form):
        kwargs = self.get_import_resource_kwargs(request, form=form)
        return self.choose_import_resource_class(form, request)(**kwargs)

    def bad_rows_view(self, request):
        """The rows that can't be imported, with an "Errors" column: from the previewed file
        (a POST from the preview), or kept from the last import (a GET from the page it led to,
        or the preview's POST once the import has deleted the file)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        expired = HttpResponseBadRequest(_("Upload the file again: the preview has expired."))
        wanted = request.POST.get("bad_rows_format") or request.GET.get("format")
        confirm_form = self.create_confirm_form(request)
        if request.method == "GET" and wanted in ("csv", "xlsx"):
            kept = kept_bad_rows(request.session, self.opts.label_lower)
            if kept is None:
                return HttpResponseBadRequest(_("No rows with errors are kept from an import."))
        elif wanted not in ("csv", "xlsx") or not confirm_form.is_valid():
            return expired
        elif (dataset := self._previewed_dataset(confirm_form)) is not None:
            resource = self._resource_for(request, confirm_form)
            result = resource.import_data(
                dataset, dry_run=True, raise_errors=False, user=request.user
            )
            headers, rows = preview_rows(resource, result)
            original = confirm_form.cleaned_data.get("original_file_name") or "import"
            kept = headers, [row for row in rows if row.is_bad], original.rsplit(".", 1)[0]
        else:
            name = confirm_form.cleaned_data["import_file_name"]
            kept = kept_bad_rows(request.session, self.opts.label_lower, file_name=name)
            if kept is None:
                return expired
        headers, bad, stem = kept
        return bad_rows_file(headers, bad, stem=stem, wanted=wanted)

    def _previewed_dataset(self, confirm_form):
        """The uploaded file the preview read, or None once an import has deleted it."""
        input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])](
            encoding=self.from_encoding
        )
        storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            return input_format.create_dataset(storage.read())
        except OSError:
            return None

    def process_result(self, result, request):
        """Keeps the rows left out for download after the import deleted the file."""
        label = self.opts.label_lower
        confirm_form = self.create_confirm_form(request)
        if result.invalid_rows and confirm_form.is_valid():
            resource = self._resource_for(request, confirm_form)
            headers, rows = preview_rows(resource, result)
            original = confirm_form.cleaned_data.get("original_file_name") or "import"
            keep_bad_rows(
                request.session,
                label,
                file_name=confirm_form.cleaned_data["import_file_name"],
                stem=original.rsplit(".", 1)[0],
                headers=headers,
                rows=[row for row in rows if row.is_bad],
            )
        else:
            forget_bad_rows(request.session, label)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        super().add_success_message(result, request)
        if result.invalid_rows:
            count = len(result.invalid_rows)
            url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_bad_rows")
            messages.warning(
                request,
                format_html(
                    "{} <a href='{}?format=xlsx'>{}</a> · <a href='{}?format=csv'>{}</a>",
                    ngettext(
                        "%(count)d row with errors was not imported: download it, fix it "
                        "and import it:",
                        "%(count)d rows with errors were not imported: download them, fix them "
                        "and import them:",
                        count,
                    )
                    % {"count": count},
                    url,
                    _("Rows with errors as XLSX"),
                    url,
                    _("Rows with errors as CSV"),
                ),
            )

    def has_import_permission(self, request) -> bool:
        # An import creates and updates rows: it needs both rights on the model.
        opts = self.opts
        return request.user.has_perms(
            [
                f"{opts.app_label}.add_{opts.model_name}",
                f"{opts.app_label}.change_{opts.model_name}",
            ]
        )

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["edition"] = import_form.cleaned_data["edition"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        if form is not None and form.is_valid():
            resource_kwargs["edition"] = form.cleaned_data["edition"]
        return resource_kwargs
