from django.core.management.base import BaseCommand, CommandError

from alliance import security


class Command(BaseCommand):
    help = (
        "Lift admin login lockouts: for one username (from every address, or from --ip), "
        "or for everyone with --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="The locked-out username.")
        parser.add_argument("--ip", help="Only the lockout of this client address.")
        parser.add_argument("--all", action="store_true", help="Every lockout, for everyone.")

    def handle(self, *args, username=None, ip=None, all=False, **options):
        if all == bool(username):
            raise CommandError("Give a username, or --all.")
        if ip and not username:
            raise CommandError("--ip needs a username.")
        # The counts are in the database (django-axes): every server sees this at once.
        removed = security.unlock(username=username, ip=ip)
        who = "everyone" if all else f"{username!r}" + (f" from {ip}" if ip else "")
        self.stdout.write(f"Admin logins unlocked for {who} ({removed} count(s) removed).")
