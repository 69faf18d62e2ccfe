"""The session's log scan finds a fixture's personal value and passes a clean log."""

from support.pii import leaks


def test_a_logged_phone_number_or_name_is_found_and_a_clean_log_passes(tmp_path):
    log = tmp_path / "app.log"
    log.write_text(
        "2026 netral.core.storage INFO evidence sweep removed 2 orphan(s)\n"
        "2026 netral.cases.reminders ERROR mail to NINA MARLINA <x> failed\n"
        "2026 netral.pledges WARNING sms 081234567890 failed\n"
    )
    found = leaks([log, tmp_path / "absent.log"])
    assert [line.split(":")[1] for line in found] == ["2", "3"]
    log.write_text("2026 netral.core.storage INFO evidence sweep removed 2 orphan(s)\n")
    assert leaks([log]) == []
