"""Adding an article from its text: paste or upload it, review its paragraphs, save it.

- "Add article from text": paste or upload the article, give its metadata; the parser
  (alliance.seeding.document, through alliance.intake) splits and numbers it, and the
  editor reviews the paragraphs before anything is saved.
- The article's page then offers its paragraphs to cite (alliance.admin.citing).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.admin.citing import paragraphs_for_review
from alliance.admin.dates import PartialDateField
from alliance.intake.reading import IntakeError, decode, guess_language, read_article
from alliance.intake.records import already_on_record, save_article
from alliance.intake.review import review_document
from alliance.models import Language, Organisation

PUBLISH = "alliance.publish_article"


class IntakeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Article text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text=gettext_lazy(
            "Paste the article: title on the first line, then its paragraphs; a date line "
            "(2024-03-05, or 2024-03) may follow the title. Plain text, Markdown or HTML."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("or upload it"),
        required=False,
        help_text=gettext_lazy("A .txt, .md or saved .html page, UTF-8, at most 5 MB."),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Read from the text; change it if need be."),
    )
    published_on = PartialDateField(
        precision_field="date_precision",
        label=gettext_lazy("Published"),
        help_text=gettext_lazy("YYYY-MM-DD, or YYYY-MM, YYYY: as the source gives it."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("guess from the text")), *Language.choices],
    )
    outlet = forms.ModelChoiceField(
        label=gettext_lazy("Outlet"),
        required=False,
        queryset=Organisation.objects.news_outlets().order_by("name"),
    )
    authors = forms.CharField(label=gettext_lazy("Author(s)"), max_length=300, required=False)
    source_url = forms.URLField(label=gettext_lazy("Original address"), required=False)
    draft = forms.BooleanField(
        label=gettext_lazy("Draft"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "A draft, and every fact citing it, stays off the public site until someone "
            "allowed to publish unticks this."
        ),
    )

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = None
        if not can_publish:
            self.fields["draft"].disabled = True
            self.fields["draft"].help_text = _(
                "Saved as a draft: someone allowed to publish will publish it."
            )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        try:
            if upload is not None:
                text = decode(upload.read())
                if upload.name.lower().endswith((".html", ".htm")) and not text.lstrip().startswith(
                    "<"
                ):
                    text = f"<html>{text}"
            if not text.strip():
                raise IntakeError(_("Paste the article's text or upload its file."))
            self.document = read_article(text, upload.name if upload else "")
        except IntakeError as error:
            raise forms.ValidationError(str(error), code="unreadable") from None
        # What was uploaded goes on as text: the review and the save need no file again.
        self.data = self.data.copy()
        self.data["text"] = text if upload is None else self.as_plain_text()
        return cleaned

    def as_plain_text(self):
        """An uploaded article as the plain text the parser reads back the same way."""
        document = self.document
        lines = [document.title] if document.title else []
        if document.published_on:
            lines.append(
                document.published_on.isoformat()[: 10 if document.date_precision == "day" else 7]
            )
        section = ""
        for paragraph in document.paragraphs:
            if paragraph.section != section:
                lines.append(f"## {paragraph.section}")
                section = paragraph.section
            lines.append(paragraph.text)
        return "\n\n".join(lines)

    def fill_from_document(self):
        """Title, date and language read from the text, where the editor left them blank."""
        document, data = self.document, self.data
        if not data.get("title") and document.title:
            data["title"] = document.title
        if not data.get("published_on") and document.published_on:
            data["published_on"] = document.published_on.isoformat()[
                : 10 if document.date_precision == "day" else 7
            ]
        if not data.get("language"):
            data["language"] = guess_language(" ".join(p.text for p in document.paragraphs))

    def article_fields(self):
        """The Article's fields, or None after adding the errors that stop the save."""
        data = self.cleaned_data
        if not data.get("title"):
            self.add_error("title", _("Give the article's title."))
        if not data.get("published_on"):
            self.add_error("published_on", _("Give the date the article was published."))
        if self.errors:
            return None
        published_on, precision = data["published_on"]
        return {
            "title": data["title"],
            "published_on": published_on,
            "date_precision": precision,
            "language": data["language"]
            or guess_language(" ".join(p.text for p in self.document.paragraphs)),
            "outlet": data["outlet"],
            "authors": data["authors"],
            "source_url": data["source_url"],
            "draft": data["draft"],
        }


def intake_view(request, model_admin):
    """Paste or upload, review the paragraphs ("Review"), then save ("Save")."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    can_publish = request.user.has_perm(PUBLISH)
    form, review = IntakeForm(can_publish=can_publish), None
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, can_publish=can_publish)
        if form.is_valid():
            form.fill_from_document()
            # Bound again to what it read: the text (an upload's too), title, date, language.
            form = IntakeForm(form.data, can_publish=can_publish)
            form.is_valid()
        if form.document is not None:
            if "_save" in request.POST and not form.errors:
                article = save_from(request, form)
                if article is not None:
                    return HttpResponseRedirect(
                        reverse("admin:alliance_article_change", args=[article.pk])
                    )
            else:
                try:
                    already_on_record(form.document, form.data.get("source_url", ""))
                except IntakeError as error:
                    form.add_error(None, str(error))
            review = paragraphs_for_review(review_document(form.document))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Add an article from its text"),
        "opts": model_admin.model._meta,
        "form": form,
        "review": review,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/alliance/article/intake.html", context)


def save_from(request, form):
    fields = form.article_fields()
    if fields is None:
        return None
    try:
        article = save_article(form.document, **fields)
    except IntakeError as error:
        form.add_error(None, str(error))
        return None
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    messages.success(
        request,
        _(
            "“%(title)s” is saved with its %(count)s paragraphs. Select words in a paragraph "
            "to cite them in a fact."
        )
        % {"title": article, "count": len(form.document.paragraphs)},
    )
    return article
