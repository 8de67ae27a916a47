"""Rendering the templates: secrets in the right place only, customer data inert."""

from __future__ import annotations

import pytest

from tuiconsole.services.email import (
    TEMPLATE_NAMES,
    TemplateError,
    TemplateParamError,
    render,
    render_redacted,
)

SITE = {"site_name": "Acme", "first_name": "Zoë", "last_name": "Doe"}
PARAMS: dict[str, dict[str, object]] = {
    "reset_link": {**SITE, "reset_url": "https://acme.example/reset", "expires_minutes": 60},
    "temporary_password": {**SITE, "expires_minutes": 2880, "username": "zoe.doe"},
    "password_changed": {
        **SITE,
        "changed_at": "2025-11-23T18:58:00+00:00",
        "changed_by_staff": True,
    },
    "email_changed": {**SITE, "new_email_masked": "z***@example.org"},
    "membership_welcome": {**SITE, "offer_name": "Gold Club", "username": "zoe.doe"},
}
SECRETS = {"reset_link": "tok-Abc123", "temporary_password": "Tmp-9xQ!7"}


def flat(text: str) -> str:
    """The text with its line wrapping undone, to look for whole sentences."""
    return " ".join(text.split())


def test_every_template_is_covered_here():
    assert set(TEMPLATE_NAMES) == set(PARAMS)


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_every_template_renders_a_subject_text_and_html(name):
    content = render(name, PARAMS[name], secret=SECRETS.get(name))
    assert content.subject and "\n" not in content.subject
    assert "Hello Zoë," in content.text
    assert content.html.startswith("<!DOCTYPE html>")
    assert "$" not in content.text + content.html  # no placeholder left unfilled


def test_temporary_password_omits_the_username_unless_the_option_says_so():
    without = render("temporary_password", PARAMS["temporary_password"], secret="Tmp-9xQ!7")
    assert "zoe.doe" not in without.text + without.html
    assert "Tmp-9xQ!7" in without.text
    assert "2 days" in without.text
    assert "asked to choose a new password when you log in" in flat(without.text)

    params = {**PARAMS["temporary_password"], "include_username": True}
    with_name = render("temporary_password", params, secret="Tmp-9xQ!7")
    assert "Username: zoe.doe" in with_name.text
    assert "zoe.doe" in with_name.html


def test_include_username_without_a_username_is_a_clear_error():
    params = {**PARAMS["temporary_password"], "include_username": True, "username": None}
    with pytest.raises(TemplateParamError, match="username"):
        render("temporary_password", params, secret="x")


@pytest.mark.parametrize(
    ("reset_url", "expected"),
    [
        ("https://acme.example/reset", "https://acme.example/reset?token=a%2Fb%2Bc%3D%26"),
        (
            "https://acme.example/reset?lang=de",
            "https://acme.example/reset?lang=de&token=a%2Fb%2Bc%3D%26",
        ),
        ("https://acme.example/r/{token}/go", "https://acme.example/r/a%2Fb%2Bc%3D%26/go"),
        (
            "https://acme.example/reset#form",
            "https://acme.example/reset?token=a%2Fb%2Bc%3D%26#form",
        ),
    ],
)
def test_reset_link_puts_the_encoded_token_in_the_right_place(reset_url, expected):
    params = {**PARAMS["reset_link"], "reset_url": reset_url}
    content = render("reset_link", params, secret="a/b+c=&")
    assert expected in content.text
    assert f'href="{expected.replace("&", "&amp;")}"' in content.html
    assert "60 minutes" in content.text
    assert "your password has not changed" in flat(content.text)


def test_reset_link_refuses_a_non_web_reset_url():
    params = {**PARAMS["reset_link"], "reset_url": "javascript:alert(1)"}
    with pytest.raises(TemplateParamError, match="reset_url"):
        render("reset_link", params, secret="t")


def test_customer_data_is_escaped_in_html_and_plain_in_text():
    params = {
        **PARAMS["membership_welcome"],
        "first_name": "<script>alert(1)</script>",
        "offer_name": 'Gold & "Silver"',
    }
    content = render("membership_welcome", params, secret=None)
    assert "<script>" not in content.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content.html
    assert "Gold &amp; &quot;Silver&quot;" in content.html
    assert "Hello <script>alert(1)</script>," in content.text
    assert 'Welcome to Gold & "Silver"' in content.text


def test_line_breaks_and_control_characters_in_names_are_flattened():
    params = {**PARAMS["email_changed"], "first_name": "Zoë\r\nBcc: x@evil\x1b[31m"}
    content = render("email_changed", params, secret=None)
    assert "\r" not in content.text and "\x1b" not in content.text + content.html
    assert "Hello Zoë Bcc: x@evil[31m," in content.text


def test_membership_welcome_never_carries_a_password():
    content = render("membership_welcome", PARAMS["membership_welcome"], secret=None)
    assert "Username: zoe.doe" in content.text or "username: zoe.doe" in content.text
    assert "Forgot password" in flat(content.text)
    assert "contains no password" in flat(content.text)


def test_password_changed_says_when_and_who():
    staff = render("password_changed", PARAMS["password_changed"], secret=None)
    assert "When: 23 November 2025 at 18:58 UTC" in staff.text
    assert "By: a member of the Acme support team" in staff.text
    params = {**PARAMS["password_changed"], "changed_by_staff": False}
    assert "By: you" in render("password_changed", params, secret=None).text


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_redacted_rendering_contains_no_secret(name):
    content = render_redacted(name, PARAMS[name])
    whole = content.subject + content.text + content.html
    assert SECRETS[name] not in whole
    assert "[redacted]" in content.text and "[redacted]" in content.html


def test_unknown_template_is_a_value_error():
    with pytest.raises(ValueError, match="unknown email template 'nope'"):
        render("nope", {}, secret=None)
    assert issubclass(TemplateError, ValueError)


def test_missing_params_are_named_together_not_a_key_error():
    with pytest.raises(TemplateParamError) as caught:
        render("reset_link", {"first_name": "Zoë"}, secret="t")
    assert not isinstance(caught.value, KeyError)
    assert "site_name, reset_url, expires_minutes" in str(caught.value)


def test_secret_is_required_where_shown_and_refused_elsewhere():
    with pytest.raises(TemplateParamError, match="needs its secret"):
        render("reset_link", PARAMS["reset_link"], secret=None)
    with pytest.raises(TemplateParamError, match="carries no secret"):
        render("password_changed", PARAMS["password_changed"], secret="oops")


@pytest.mark.parametrize("bad", [0, -5, "60", True, 1.5])
def test_expires_minutes_must_be_a_positive_int(bad):
    params = {**PARAMS["reset_link"], "expires_minutes": bad}
    with pytest.raises(TemplateParamError, match="expires_minutes"):
        render("reset_link", params, secret="t")


def test_bad_changed_at_is_a_clear_error():
    params = {**PARAMS["password_changed"], "changed_at": "yesterday"}
    with pytest.raises(TemplateParamError, match="changed_at"):
        render("password_changed", params, secret=None)


def test_a_long_secret_with_spaces_is_never_wrapped():
    secret = "correct horse battery staple " * 4
    content = render("temporary_password", PARAMS["temporary_password"], secret=secret.strip())
    assert secret.strip() in content.text
