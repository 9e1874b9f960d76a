"""Machine-assisted coding of free-text feedback: a plain Python engine, with no Django in it.

What the Django side calls (services and tasks store the results and record who accepted what):

- `train_suggester(texts, codings, codebook=...)` -> `CodeSuggester`: suggested codes with a
  confidence (`suggest`, or `score` for arrays), per-code cross-validated precision and recall
  and how many more examples a code needs (`reports`), thresholds moved without retraining
  (`retarget(Target(beta=2))` or `Target(recall=0.8)`), stored with `to_bytes`/`from_bytes`.
- `train_sentiment(texts, labels)` -> `SentimentModel`: positive, neutral or mixed, negative,
  with a confidence; `sentiment_from_score` maps a signed score (such as criticality) to it.
- `complex_comments(texts, codes=..., mixed=...)`: long, many codes, or mixed sentiment.
- `discover(texts, themes=..., seed=...)`: clusters of uncoded comments with typical comments
  and distinctive words.
- `ask_first(model, texts, n=...)`: which uncoded comments to ask the team about first.
- `check_text(text)`: empty, or not English.
"""

from .active import Question, ask_first
from .complexity import Complexity, complex_comments, complexity
from .discovery import Discovery, Theme, discover
from .language import TextCheck, check_text
from .linear import Target
from .model import (
    MIN_EXAMPLES,
    CodeReport,
    CodeSuggester,
    CommentSuggestions,
    Scored,
    Settings,
    Suggestion,
    train_suggester,
)
from .sentiment import (
    SENTIMENTS,
    Sentiment,
    SentimentModel,
    SentimentResult,
    sentiment_from_score,
    train_sentiment,
)

__all__ = [
    "MIN_EXAMPLES",
    "SENTIMENTS",
    "CodeReport",
    "CodeSuggester",
    "CommentSuggestions",
    "Complexity",
    "Discovery",
    "Question",
    "Scored",
    "Sentiment",
    "SentimentModel",
    "SentimentResult",
    "Settings",
    "Suggestion",
    "Target",
    "TextCheck",
    "Theme",
    "ask_first",
    "check_text",
    "complex_comments",
    "complexity",
    "discover",
    "sentiment_from_score",
    "train_sentiment",
    "train_suggester",
]
