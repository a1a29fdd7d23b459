"""Datasets in the browser: records, search, an edit that makes a version, old versions, delete."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

import assay
from tests.e2e.conftest import SHOTS
from tests.integration.conftest import ServerProcess

TRACE, SPAN = "ab" * 16, "cd" * 8


def fill_dataset(server: ServerProcess) -> None:
    ds = assay.dataset("shop-bot", "golden", api_url=server.url)
    ds.insert_many(
        [
            {
                "input": "Where is my order?",
                "expected": "It ships tomorrow.",
                "metadata": {"topic": "orders"},
                "tags": ["easy"],
                "source": {"trace_id": TRACE, "span_id": SPAN},
            },
            {
                "input": {"question": "Can I get a refund?", "order": 42},
                "expected": "Yes, within 30 days.",
                "metadata": {"topic": "refunds"},
            },
            {"input": "How do I reset my password?", "expected": "Use the sign-in page."},
        ]
    )


def test_edit_a_record_then_read_the_old_version_and_delete(
    server: ServerProcess, page: Any
) -> None:
    fill_dataset(server)
    page.goto("/projects/shop-bot/datasets")
    row = page.get_by_role("row").filter(has_text="golden")
    expect(row).to_contain_text("3")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "datasets_list.png"))
    row.get_by_role("link", name="golden").click()

    rows = page.get_by_test_id("record-row")
    expect(rows).to_have_count(3)
    source = rows.filter(has_text="Where is my order?").get_by_role("link", name="span")
    expect(source).to_have_attribute("href", f"/projects/shop-bot/traces/{TRACE}?span={SPAN}")

    page.get_by_label("Search records").fill("refund")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=refund"))
    page.get_by_label("Search records").fill("")
    expect(rows).to_have_count(3)

    rows.filter(has_text="Where is my order?").get_by_role("button", name="Edit record").click()
    dialog = page.get_by_role("dialog", name="Edit record")
    expected = dialog.get_by_role("textbox", name="Expected answer")
    expect(expected).to_have_value("It ships tomorrow.")
    expected.fill("It ships today, before noon.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Record saved as version 2.")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("version-2")).to_contain_text("latest")
    expect(rows.filter(has_text="Where is my order?")).to_contain_text("before noon")

    page.get_by_test_id("version-1").click()
    expect(page).to_have_url(re.compile(r"version=1"))
    expect(page.get_by_text("Viewing version 1 (the latest is 2)")).to_be_visible()
    old = rows.filter(has_text="Where is my order?")
    expect(old).to_contain_text("It ships tomorrow.")
    expect(page.get_by_role("button", name="Edit record")).to_have_count(0)
    expect(page.get_by_role("button", name="Add record")).to_be_disabled()
    page.screenshot(path=str(SHOTS / "dataset_old_version.png"))

    page.get_by_role("button", name="Show the latest").click()
    rows.filter(has_text="reset my password").get_by_role("button", name="Delete record").click()
    confirm = page.get_by_role("dialog", name="Delete this record?")
    confirm.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_contain_text("Record deleted in version 3.")
    expect(confirm).to_be_hidden()
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("version-3")).to_contain_text("1 deleted")


def test_create_a_dataset_and_add_a_record_by_hand(server: ServerProcess, page: Any) -> None:
    assay.dataset("shop-bot", "seed", api_url=server.url).insert("hello")  # makes the project
    page.goto("/projects/shop-bot/datasets")
    page.get_by_role("button", name="New dataset").click()
    dialog = page.get_by_role("dialog", name="New dataset")
    dialog.get_by_label("Name").fill("escalations")
    dialog.get_by_label("Description").fill("Cases a person had to take over.")
    dialog.get_by_role("button", name="Create").click()

    expect(page).to_have_url(re.compile(r"/projects/shop-bot/datasets/escalations$"))
    expect(page.get_by_text("No records yet")).to_be_visible()
    page.get_by_role("button", name="Add record").click()
    form = page.get_by_role("dialog", name="Add a record")
    form.get_by_role("textbox", name="Input", exact=True).fill("My parcel is lost.")
    form.get_by_role("textbox", name="Expected answer").fill("Sorry! A new one is on its way.")
    form.get_by_label("Metadata").fill('{"channel": "email",}')
    expect(form.get_by_text("Not valid JSON at line 1, column 20")).to_be_visible()
    expect(form.get_by_role("button", name="Add record")).to_be_disabled()
    page.screenshot(path=str(SHOTS / "dataset_record_form_with_a_json_mistake.png"))
    form.get_by_label("Metadata").fill('{"channel": "email"}')
    form.get_by_role("button", name="Add record").click()

    expect(page.get_by_role("status")).to_contain_text("Record added as version 1.")
    expect(form).to_be_hidden()
    row = page.get_by_test_id("record-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("channel: email")
    got = assay.dataset("shop-bot", "escalations", api_url=server.url).to_list()
    assert [(r.input, r.expected, r.metadata) for r in got] == [
        ("My parcel is lost.", "Sorry! A new one is on its way.", {"channel": "email"})
    ]
