from django import forms
from django.template import engines

from coproduce.nhsuk_forms.fields import DateField


class ExampleForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=20, help_text="As you like to be called")
    colour = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect
    )
    when = DateField(label="When", required=False)


def render(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_a_field_renders_as_a_whole_nhsuk_component_with_its_error() -> None:
    form = ExampleForm({"name": "", "colour": "g"})
    form.is_valid()
    html = render('{{ form_field(form["name"]) }}', form=form)
    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in html
    assert "As you like to be called" in html
    assert "This field is required." in html
    radios = render('{{ form_field(form["colour"]) }}', form=form)
    assert 'value="g" checked' in radios
    date = render('{{ form_field(form["when"]) }}', form=form)
    assert 'name="when-day"' in date
    assert "(optional)" in date


def test_the_error_summary_links_to_each_field() -> None:
    form = ExampleForm({"name": "", "when-day": "40", "when-month": "1", "when-year": "2026"})
    form.is_valid()
    html = render("{{ error_summary(form) }}", form=form)
    assert "There is a problem" in html
    assert 'href="#id_name"' in html
    assert 'href="#id_colour"' in html
    assert 'href="#id_when-day"' in html
