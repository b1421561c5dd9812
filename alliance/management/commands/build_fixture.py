"""Build `fixtures/alliance.json` from the document and annotations in `seeds/`."""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance.seeding.annotations import AnnotationError
from alliance.seeding.fixture import ANNOTATIONS, build_fixture, render_fixture


class Command(BaseCommand):
    help = "Build the fixture from seeds/ (the source document and seeds/annotations.yaml)."

    def add_arguments(self, parser):
        parser.add_argument("--seeds", type=Path, default=settings.BASE_DIR / "seeds")
        parser.add_argument(
            "--output", type=Path, default=settings.BASE_DIR / "fixtures" / "alliance.json"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the committed fixture differs from a fresh build.",
        )

    def handle(self, *args, seeds, output, check, **options):
        try:
            text = render_fixture(build_fixture(seeds))
        except AnnotationError as error:
            raise CommandError(f"{seeds / ANNOTATIONS}: {error}. Nothing was written.") from None

        if check:
            current = output.read_text("utf-8") if output.exists() else ""
            if current != text:
                raise CommandError(f"{output} is out of date: run `make fixture`.")
            self.stdout.write(f"{output} is up to date.")
            return

        # Write beside the target and rename, so a failure never leaves half a file.
        output.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=output.parent, delete=False, suffix=".tmp"
        ) as handle:
            handle.write(text)
        os.replace(handle.name, output)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
