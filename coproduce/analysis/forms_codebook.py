"""Forms for the codebook's pages: a code's definition, where it goes, merging, splitting,
presets and codebook files. The services check every rule again; these only shape the input."""

from collections.abc import Sequence
from typing import Any

from django import forms

from coproduce.analysis.presets import PRESETS
from coproduce.analysis.services.codebook import DEFAULT_COLOUR, MAX_FILE_BYTES, NAME_MAX, TEXT_MAX

# Colours from the NHS identity palette, named so nobody has to tell them apart by sight.
PALETTE = [
    (DEFAULT_COLOUR, "NHS blue"),
    ("#003087", "Dark blue"),
    ("#41b6e6", "Light blue"),
    ("#00a499", "Aqua green"),
    ("#007f3b", "Green"),
    ("#78be20", "Light green"),
    ("#330072", "Purple"),
    ("#ae2573", "Pink"),
    ("#7c2855", "Dark pink"),
    ("#8a1538", "Dark red"),
    ("#d5281b", "Red"),
    ("#ed8b00", "Orange"),
    ("#ffb81c", "Warm yellow"),
    ("#425563", "Dark grey"),
]
COLOUR_NAMES = dict(PALETTE)

TOP_LEVEL = ""


def colour_choices(current: str | None = None) -> list[tuple[str, str]]:
    choices = [(value, f"{name} ({value})") for value, name in PALETTE]
    if current and current.lower() not in COLOUR_NAMES:
        choices.insert(0, (current.lower(), f"Its colour now ({current.lower()})"))
    return choices


def _text(label: str, hint: str, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CodeForm(forms.Form):
    """A code's name and definition; with `places`, also where a new code goes."""

    name = forms.CharField(
        label="Name", max_length=NAME_MAX, error_messages={"required": "Enter a name for the code"}
    )
    parent = forms.ChoiceField(
        label="Where it goes",
        required=False,
        error_messages={"invalid_choice": "Choose where the code goes from the list"},
    )
    description = _text("Description", "What the code means, in a sentence or two")
    inclusion = _text("When to use it", "What a passage needs for this code to apply")
    exclusion = _text(
        "When not to use it", "Passages that look alike but belong to another code, and which"
    )
    examples = _text("Examples", "Short quotes or made-up examples, one on each line", rows=4)
    colour = forms.ChoiceField(
        label="Colour",
        help_text="Shown beside the code wherever it is used, always with its name",
    )

    def __init__(
        self,
        *args: Any,
        places: Sequence[tuple[int, str]] | None = None,
        current_colour: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        colour = self.fields["colour"]
        assert isinstance(colour, forms.ChoiceField)
        colour.choices = colour_choices(current_colour)
        if places is None:
            del self.fields["parent"]
        else:
            parent = self.fields["parent"]
            assert isinstance(parent, forms.ChoiceField)
            parent.choices = [(TOP_LEVEL, "At the top level"), *places]


class MoveForm(forms.Form):
    parent = forms.ChoiceField(
        label="Put it",
        required=False,
        help_text="The codes inside it move with it",
        error_messages={"invalid_choice": "Choose where the code goes from the list"},
    )

    def __init__(self, *args: Any, places: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ChoiceField)
        parent.choices = [
            (TOP_LEVEL, "At the top level"),
            *((pk, f"Inside {path}") for pk, path in places),
        ]


class MergeForm(forms.Form):
    target = forms.ChoiceField(
        label="Merge it into",
        error_messages={
            "required": "Choose the code to merge it into",
            "invalid_choice": "Choose a code in use from the list",
        },
    )

    def __init__(self, *args: Any, targets: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [("", "Choose a code"), *targets]


class SplitForm(forms.Form):
    name = forms.CharField(
        label="Name of the new code",
        max_length=NAME_MAX,
        error_messages={"required": "Enter a name for the new code"},
    )
    description = _text("Description of the new code", "What the new code means")
    place = forms.ChoiceField(
        label="Where the new code goes",
        widget=forms.RadioSelect,
        initial="beside",
        error_messages={"required": "Choose where the new code goes"},
    )
    segments = forms.TypedMultipleChoiceField(
        label="Coded text that moves to the new code",
        help_text="The text you do not choose stays with this code",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the coded text that moves to the new code",
            "invalid_choice": "Some of the chosen text is no longer coded with this code: "
            "choose again",
        },
    )

    def __init__(
        self,
        *args: Any,
        code_name: str,
        extracts: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = [
            ("beside", f"Beside {code_name}"),
            ("inside", f"Inside {code_name}, as a sub-code"),
        ]
        segments = self.fields["segments"]
        assert isinstance(segments, forms.TypedMultipleChoiceField)
        segments.choices = list(extracts)


class PresetForm(forms.Form):
    preset = forms.ChoiceField(
        label="Ready-made codebook",
        widget=forms.RadioSelect,
        choices=[(preset.key, preset.name) for preset in PRESETS.values()],
        error_messages={
            "required": "Choose a ready-made codebook",
            "invalid_choice": "Choose one of the ready-made codebooks listed",
        },
    )


class CodebookFileForm(forms.Form):
    file = forms.FileField(
        label="Codebook file",
        help_text=(
            "A CSV file (.csv) or a REFI-QDA codebook (.qdc) from NVivo, ATLAS.ti, MAXQDA, "
            f"QualCoder or another project, up to {MAX_FILE_BYTES // (1024 * 1024)} MB"
        ),
        error_messages={"required": "Choose a codebook file", "empty": "The file is empty"},
    )
