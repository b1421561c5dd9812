"""Short articles written for the tests, in French and in English, and the seed."""

from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_4cb52089fe021225.txt"
if not SEED.exists():
    SEED = Path("/work/shared/seeds/000_4cb52089fe021225.txt")

FRENCH = """# Cohere et Adept rejoignent l’AI Alliance

2024-03-05

Cohere a rejoint l’AI Alliance mardi, selon un communiqué. Adept, membre de l’AI Alliance depuis lundi, salue l’arrivée.

Dario Gil, directeur d’IBM Research, a salué leur arrivée. Aucune institution ne s’y est opposée, et l’oracle de Delphes non plus.

## Réactions

Mistral AI et Hugging Face n’ont pas commenté. La NATIONAL SCIENCE FOUNDATION reste à l’écart, comme l’université de Cornell.
"""

ENGLISH = """# Two more join the AI Alliance

date 2024-04

Cohere joined the AI Alliance in April, the coalition said on its site.

Yann LeCun, chief AI scientist at Meta, welcomed the news. Cornell University and Meta Platforms said nothing.

Hugging Face and Mistral AI were not among the new members of the alliance, which OpenAI has not joined.
"""
