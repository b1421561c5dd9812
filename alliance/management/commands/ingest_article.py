"""Read an article file, show what it mentions and suggests, and save it as a draft."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from alliance.intake.reading import IntakeError, guess_language, read_file
from alliance.intake.records import already_on_record, save_article
from alliance.intake.review import review_document


class Command(BaseCommand):
    help = (
        "Read an article (plain text, Markdown or a saved HTML page), print its paragraphs, "
        "the organisations, people and AI systems on record it mentions, the names that "
        "match nothing, and the facts it suggests; then save it as a draft article with its "
        "paragraphs (unless --dry-run). Facts are never created: editors confirm them."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The article: .txt, .md or .html, UTF-8.")
        parser.add_argument(
            "--lang", choices=["fr", "en"], help="The article's language (guessed if left out)."
        )
        parser.add_argument("--url", default="", help="Where the article was published.")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; save nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    @no_translations  # the command speaks English, as the others do
    def handle(self, *args, file, lang, url, dry_run, json, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            document = read_file(data, path.name)
        except IntakeError as error:
            raise CommandError(str(error)) from None
        try:
            already_on_record(document, url)
        except IntakeError as error:
            if not dry_run:
                raise CommandError(str(error)) from None
            # A dry run still shows what the article mentions: the seed's, say.
            self.stderr.write(f"Note: {error}")
        result = review_document(document)
        language = lang or guess_language(" ".join(p.text for p in document.paragraphs))
        article = None
        if not dry_run:
            if not document.title:
                raise CommandError(
                    "The article has no title line: put its title on the first line."
                )
            if document.published_on is None:
                raise CommandError(
                    "The article gives no date: put a date line (2024-03-05, or 2024-03 for a "
                    "month) before or after its title."
                )
            try:
                article = save_article(
                    document,
                    title=document.title,
                    language=language,
                    published_on=document.published_on,
                    date_precision=document.date_precision,
                    source_url=url,
                    draft=True,
                )
            except IntakeError as error:
                raise CommandError(str(error)) from None
        if json:
            self.print_json(result, language, article)
        else:
            self.print_text(result, language, article, dry_run)

    def print_json(self, result, language, article):
        payload = {
            **result.as_dict(),
            "language": language,
            "article": article.slug if article else None,
        }
        self.stdout.write(json_dumps(payload))

    def print_text(self, result, language, article, dry_run):
        write = self.stdout.write
        write(f"Title: {result.title or '(none)'}")
        write(f"Date: {result.date or '(none)'}    Language: {language}")
        shown_section = ""
        for number, section, text in result.paragraphs:
            mentions, candidates, suggestions = result.in_paragraph(number)
            write("")
            if section != shown_section:
                write(f"## {section}")
                shown_section = section
            write(f"¶{number} {text}")
            for mention in mentions:
                write(f"   mention: {mention.entity.type} {mention.entity.slug} “{mention.words}”")
            for candidate in candidates:
                write(f"   not on record: “{candidate.words}”")
            for suggestion in suggestions:
                write(f"   suggests: {describe(suggestion)}")
        write("")
        if article is not None:
            write(
                f"Saved as a draft: article {article.slug}, {len(result.paragraphs)} "
                "paragraphs. Confirm its facts in the admin, then publish it."
            )
        elif dry_run:
            write(f"Dry run: nothing saved ({len(result.paragraphs)} paragraphs read).")


def describe(suggestion):
    if suggestion["kind"] == "membership":
        return (
            f"membership {suggestion['member']} in {suggestion['coalition']} ({suggestion['role']})"
        )
    return f"role {suggestion['person']}, “{suggestion['title']}” at {suggestion['organisation']}"


def json_dumps(payload):
    return json.dumps(payload, ensure_ascii=False, indent=2)
