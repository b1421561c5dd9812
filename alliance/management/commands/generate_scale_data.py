"""Fill the database with a generated record at a chosen size, for measuring speed."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from alliance.scale import PREFIX, Sizes, foreign_row, generate

DEFAULTS = Sizes()


def count(text):
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative: give 0 or more")
    return value


class Command(BaseCommand):
    help = (
        "Fill the database with a generated record (organisations, people, coalitions, "
        "positions, articles with paragraphs and citations) at a chosen size. Replaces rows "
        "it generated before; refuses a database holding any other data unless --force."
    )

    def add_arguments(self, parser):
        for name, description in [
            ("organisations", "organisations besides coalitions"),
            ("people", "people"),
            ("coalitions", "coalitions"),
            ("positions", "positions"),
            ("articles", "articles (their paragraphs and citations follow from the facts)"),
            ("topics", "topics"),
            ("ai_systems", "AI systems"),
        ]:
            default = getattr(DEFAULTS, name)
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                type=count,
                default=default,
                metavar="N",
                help=f"How many {description} (default {default:,}).",
            )
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same data (default 0).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add generated rows even though the database holds other data.",
        )

    def handle(self, *args, seed, force, **options):
        sizes = Sizes(**{name: options[name] for name in Sizes.__dataclass_fields__})
        problems = sizes.problems()
        if problems:
            raise CommandError("; ".join(problems) + ". Nothing was written.")
        if not force:
            found = foreign_row()
            if found is not None:
                raise CommandError(
                    f"This database holds data that this command did not generate ({found}). "
                    "Run it against an empty database, or pass --force to add generated rows "
                    f"beside that data (rows whose slug starts with “{PREFIX}”). "
                    "Nothing was written."
                )
        stream = self.stderr._out if options["verbosity"] > 0 else None
        counts = generate(sizes, seed=seed, progress_stream=stream)
        seconds = counts.pop("seconds")
        summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {seconds} s (seed {seed})."))
