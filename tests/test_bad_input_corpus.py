"""Every bad input ends with exit 1 or 2 and its `Error:` line; no traceback; files unchanged.

The inputs are files under tests/corpus/ (catalog/, profile/, plan/); names in <angle brackets>
are made at run time: <missing>, <folder>, <fifo> (emulates an unreadable file, even for root),
<loop> (a symbolic link to itself) and <unreadable> (chmod 000, skipped for root).
{path} stands for the input file's path and {home} for USCE_HOME.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
import typer.testing

from tests.conftest import Invoke

CORPUS = Path(__file__).parent / "corpus"
TODAY = "2026-12-01"
PROFILE = 'schema = 1\nstage = "graduate"\ngraduation = 2024-06-30\ncitizenship = "IN"\nenglish_medium_school = true\n\n[step1]\nstatus = "passed"\ndate = 2023-03-10\n'
PLAN = 'schema = 1\nuid_token = "3f9c2a71"\n\n[[rotation]]\nprogram = "cc-florida-observer"\nstart = 2027-10-04\nweeks = 4\nstatus = "planned"\nnotes = ""\n\n[rotation.history]\nplanned = 2026-11-20\n'
# The command each kind of input file is given to: the profile and plan ones would write.
COMMANDS = {
    "catalog": ["--only-catalog", "--catalog", "{path}", "programs"],
    "profile": ["--profile", "{path}", "profile", "set", "name", "Sam"],
    "plan": ["--plan", "{path}", "plan", "add", "cc-florida-observer", "--start", "2028-01"],
}
# fmt: off
P = "program 'example-observer' (line 3)"
ROT = "rotation 'cc-florida-observer@2027-10-04'"
DURATION = "is not a duration; write a number from 1 and a unit, such as '6 months', '4 weeks' or '10 days'"
XFAIL_FILES: dict[str, str] = {}
# Cases whose expected Error line ends with … are matched on the part before it.
FILE_CASES: list[tuple[str, int, str]] = [
    ("catalog/syntax_unclosed_string", 1, "Error: {path}: line 5, column 32: TOML syntax error: Illegal character '\\n'"),
    ("catalog/syntax_missing_value", 1, "Error: {path}: line 14, column 7: TOML syntax error: Invalid value"),
    ("catalog/syntax_key_twice", 1, "Error: {path}: line 14, column 18: TOML syntax error: Cannot overwrite a value"),
    ("catalog/syntax_bad_header", 1, "Error: {path}: line 3, column 10: TOML syntax error: Expected ']]' at the end of an array declaration"),
    ("catalog/impossible_date", 1, "Error: {path}: line 12, column 12: TOML syntax error: Invalid date or datetime"),
    ("catalog/wrong_type_weeks", 1, f"Error: {{path}}: {P}: weeks: must be a list"),
    ("catalog/wrong_type_hands_on", 1, f"Error: {{path}}: {P}: hands_on: Input should be a valid boolean"),
    ("catalog/wrong_type_verified", 1, f"Error: {{path}}: {P}: verified: Input should be a valid date"),
    ("catalog/unknown_key", 1, f"Error: {{path}}: {P}: colour: unknown key (not in schema 1)"),
    ("catalog/unknown_top_level_key", 1, "Error: {path}: title: unknown key (a catalog holds schema and [[program]] entries)"),
    ("catalog/unknown_requires_key", 1, f"Error: {{path}}: {P}: requires.step3: unknown key (not in schema 1)"),
    ("catalog/duplicate_id", 1, "Error: {path}: program 'example-observer' (line 15): id: used twice in this file (first at line 3)"),
    ("catalog/far_future_start", 1, "Error: {path}: program 'late' (line 3): starts: 9999-12-27 is outside the years 1900 to 2999"),
    ("catalog/source_date_out_of_range", 1, "Error: {path}: program 'late' (line 3): source_date: '1898/99' is outside the years 1900 to 2999"),
    ("catalog/zero_duration", 1, f"Error: {{path}}: {P}: lead_time.recommended: '0 months' {DURATION}"),
    ("catalog/negative_duration", 1, f"Error: {{path}}: {P}: lead_time.recommended: '-6 months' {DURATION}"),
    ("catalog/malformed_duration", 1, f"Error: {{path}}: {P}: lead_time.minimum: 'six weeks' {DURATION}"),
    ("catalog/duration_bad_unit", 1, f"Error: {{path}}: {P}: lead_time.recommended: '6 fortnights' {DURATION}"),
    ("catalog/duration_number", 1, f"Error: {{path}}: {P}: lead_time.recommended: must be a text such as '6 months', '4 weeks' or '10 days'"),
    ("catalog/weeks_zero", 1, f"Error: {{path}}: {P}: weeks.0: Input should be greater than or equal to 1"),
    ("catalog/weeks_negative", 1, f"Error: {{path}}: {P}: weeks.0: Input should be greater than or equal to 1"),
    ("catalog/weeks_empty", 1, f"Error: {{path}}: {P}: weeks: must list at least one"),
    ("catalog/max_weeks_short", 1, f"Error: {{path}}: {P}: max_weeks: 6 is shorter than the longest length offered"),
    ("catalog/unknown_kind", 1, f"Error: {{path}}: {P}: kind: Input should be 'elective', 'observership', 'externship', 'research' or 'pre-residency'"),
    ("catalog/unknown_status", 1, f"Error: {{path}}: {P}: status: Input should be 'open', 'partner-only', 'paused', 'closed' or 'unknown'"),
    ("catalog/unknown_audience", 1, f"Error: {{path}}: {P}: audience.0: Input should be 'student', 'graduate' or 'physician'"),
    ("catalog/unknown_visa_code", 1, f"Error: {{path}}: {P}: requires.visas.1: Input should be 'b1', 'b2', 'b1-b2', 'esta', 'f1', 'f2', 'j1', 'j2', 'h1b', 'h4', 'l2', 'o1', 'o3' or 'other'"),
    ("catalog/unknown_state", 1, f"Error: {{path}}: {P}: state: 'XX' is not a US state code (two capital letters, or DC)"),
    ("catalog/unknown_citizenship", 1, f"Error: {{path}}: {P}: requires.excluded_citizenships.0: 'XX' is not an assigned ISO 3166 country code"),
    ("catalog/unknown_starts", 1, f"Error: {{path}}: {P}: starts: must be 'any-day', 'any-monday', 'first-monday' or a list of dates"),
    ("catalog/impossible_window_day", 1, f"Error: {{path}}: {P}: windows.0.starts_from: '02-30' is not a day of the year"),
    ("catalog/mixed_window", 1, f"Error: {{path}}: {P}: windows.0: write all four as dates (one-off) or all four as 'MM-DD' (yearly)"),
    ("catalog/fee_without_unit", 1, f"Error: {{path}}: {P}: fees.per: say what program_usd is charged per (rotation, week, ...)"),
    ("catalog/negative_fee", 1, f"Error: {{path}}: {P}: fees.application_usd: Input should be greater than or equal to 0"),
    ("catalog/ielts_not_a_band", 1, f"Error: {{path}}: {P}: requires.ielts_min: 7.3 is not an IELTS band (whole or half, such as 7 or 7.5)"),
    ("catalog/source_javascript", 1, f"Error: {{path}}: {P}: source: 'javascript:alert(1)' must be an http:// or https:// address"),
    ("catalog/source_file", 1, f"Error: {{path}}: {P}: source: 'file:///etc/passwd' must be an http:// or https:// address"),
    ("catalog/source_date_words", 1, f"Error: {{path}}: {P}: source_date: 'last year' is not a source date; use YYYY, YYYY-MM, YYYY-MM-DD, an academic year such as 2022/23, or 'undated'"),
    ("catalog/bad_id", 1, "Error: {path}: program 'Bad_ID' (line 3): id: 'Bad_ID' must be lowercase letters, digits and single hyphens"),
    ("catalog/missing_required", 1, f"Error: {{path}}: {P}: institution: required key is missing"),
    ("catalog/missing_schema", 1, "Error: {path}: schema: required key is missing (write schema = 1 at the top)"),
    ("catalog/newer_schema", 1, "Error: {path}: schema: written by a newer usce (schema 3); this version reads schema 1 or 2"),
    ("catalog/schema_as_text", 1, "Error: {path}: schema: must be the number 1 or 2"),
    ("catalog/program_not_tables", 1, "Error: {path}: program: must be [[program]] tables"),
    ("catalog/several_problems", 1, "Error: {path}: 3 problems"),
    ("catalog/empty", 1, "Error: {path}: schema: required key is missing (write schema = 1 at the top)"),
    ("catalog/binary", 1, "Error: {path}: is not UTF-8 text (byte 128); save it as UTF-8"),
    ("catalog/utf16", 1, "Error: {path}: is not UTF-8 text (byte 0); save it as UTF-8"),
    ("catalog/<missing>", 1, "Error: {path}: no such file"),
    ("catalog/<folder>", 1, "Error: {path}: is a folder, not a file"),
    ("catalog/<fifo>", 1, "Error: {path}: is not a regular file"),
    ("catalog/<loop>", 1, "Error: {path}: cannot be read (Too many levels of symbolic links)"),
    ("catalog/<unreadable>", 1, "Error: {path}: cannot be read (permission denied)"),
    ("profile/syntax_error", 1, "Error: {path}: line 2, column 9: TOML syntax error: Invalid value"),
    ("profile/impossible_date", 1, "Error: {path}: line 3, column 14: TOML syntax error: Invalid date or datetime"),
    ("profile/graduation_as_text", 1, "Error: {path}: graduation: Input should be a valid date"),
    ("profile/unknown_stage", 1, "Error: {path}: stage: Input should be 'student', 'graduate' or 'physician'"),
    ("profile/citizenship_uk", 1, "Error: {path}: citizenship: 'UK' is not an assigned ISO 3166 country code (the United Kingdom is GB)"),
    ("profile/unknown_key", 1, "Error: {path}: nickname: unknown key (not in schema 1)"),
    ("profile/key_after_table", 1, "Error: {path}: 2 problems"),
    ("profile/passed_without_date", 1, "Error: {path}: step1.date: a passed exam needs its test date"),
    ("profile/unknown_visa_code", 1, "Error: {path}: visa.holds: Input should be 'none', 'b1', 'b2', 'b1-b2', 'esta', 'f1', 'f2', 'j1', 'j2', 'h1b', 'h4', 'l2', 'o1', 'o3' or 'other'"),
    ("profile/negative_wait", 1, "Error: {path}: visa.consulate_wait_weeks: Input should be greater than or equal to 0"),
    ("profile/ielts_not_a_band", 1, "Error: {path}: english.ielts: 7.3 is not an IELTS band (whole or half, such as 7 or 7.5)"),
    ("profile/toefl_too_high", 1, "Error: {path}: english.toefl_ibt: Input should be less than or equal to 120"),
    ("profile/step1_score_pass_fail", 1, "Error: {path}: step1.score: Step 1 taken on or after 2022-01-26 is pass/fail; remove the score"),
    ("profile/newer_schema", 1, "Error: {path}: schema: written by a newer usce (schema 2); this version reads schema 1"),
    ("profile/final_year_after_graduation", 1, "Error: {path}: final_year_from: must be before graduation"),
    ("profile/unknown_us_status", 1, "Error: {path}: us_status: Input should be 'none', 'citizen' or 'permanent-resident'"),
    ("profile/negative_budget", 1, "Error: {path}: budget_usd: Input should be greater than or equal to 0"),
    ("profile/several_problems", 1, "Error: {path}: 3 problems"),
    ("profile/empty", 1, "Error: {path}: schema: required key is missing (write schema = 1 at the top)"),
    ("profile/binary", 1, "Error: {path}: is not UTF-8 text (byte 128); save it as UTF-8"),
    ("profile/utf16", 1, "Error: {path}: is not UTF-8 text (byte 0); save it as UTF-8"),
    ("profile/<missing>", 1, "Error: {path}: no profile yet; create one with `usce profile init`"),
    ("profile/<folder>", 1, "Error: {path}: is a folder, not a file"),
    ("profile/<fifo>", 1, "Error: {path}: is not a regular file"),
    ("profile/<unreadable>", 1, "Error: {path}: cannot be read (permission denied)"),
    ("plan/syntax_error", 1, "Error: {path}: line 4, column 11: TOML syntax error: Expected ']]' at the end of an array declaration"),
    ("plan/unknown_top_key", 1, "Error: {path}: owner: unknown key (not in schema 1)"),
    ("plan/unknown_rotation_key", 1, f"Error: {{path}}: {ROT}: colour: unknown key (not in schema 1)"),
    ("plan/weeks_zero", 1, f"Error: {{path}}: {ROT}: weeks: Input should be greater than or equal to 1"),
    ("plan/weeks_as_text", 1, f"Error: {{path}}: {ROT}: weeks: Input should be a valid integer"),
    ("plan/unknown_status", 1, f"Error: {{path}}: {ROT}: status: Input should be 'planned', 'applied', 'waitlisted', 'accepted', 'rejected', 'withdrawn' or 'completed'"),
    ("plan/impossible_date", 1, "Error: {path}: line 6, column 9: TOML syntax error: Invalid date or datetime"),
    ("plan/same_rotation_twice", 1, "Error: {path}: rotation: cc-florida-observer@2027-10-04 is in the file twice"),
    ("plan/bad_uid_token", 1, "Error: {path}: uid_token: String should match pattern '^([0-9a-f]{8}|example|adhoc)$'"),
    ("plan/missing_uid_token", 1, "Error: {path}: uid_token: required key is missing"),
    ("plan/bad_done_id", 1, "Error: {path}: done.you:visa.[key]: String should match pattern '^(me|match-[0-9]{4}):[a-z0-9-]+$'"),
    ("plan/bad_done_suffix", 1, f"Error: {{path}}: {ROT}: done.Letter Ask.[key]: 'Letter Ask' is not a milestone name such as letter-ask"),
    ("plan/unknown_history_status", 1, f"Error: {{path}}: {ROT}: history.booked.[key]: Input should be 'planned', 'applied', 'waitlisted', 'accepted', 'rejected', 'withdrawn' or 'completed'"),
    ("plan/bad_program_id", 1, "Error: {path}: rotation 'CC Florida@2027-10-04': program: 'CC Florida' must be lowercase letters, digits and single hyphens"),
    ("plan/newer_schema", 1, "Error: {path}: schema: written by a newer usce (schema 3); this version reads schema 1"),
    ("plan/rotation_not_tables", 1, "Error: {path}: rotation: must be a list"),
    ("plan/binary", 1, "Error: {path}: is not UTF-8 text (byte 128); save it as UTF-8"),
    ("plan/utf16", 1, "Error: {path}: is not UTF-8 text (byte 0); save it as UTF-8"),
    ("plan/start_in_year_9999", 1, "Error: {path}: rotation 'cc-florida-observer@9999-12-06': start: 9999-12-06 is outside the years 1900 to 2999"),
    ("plan/start_in_year_1", 1, "Error: {path}: rotation 'cc-florida-observer@0001-01-01': start: 0001-01-01 is outside the years 1900 to 2999"),
    ("plan/<folder>", 1, "Error: {path}: is a folder, not a file"),
    ("plan/<fifo>", 1, "Error: {path}: is not a regular file"),
    ("plan/<unreadable>", 1, "Error: {path}: cannot be read (permission denied)"),
]
# (arguments, USCE_TODAY, exit code, first Error line, xfail reason)
CLI_CASES: list[tuple[str, str | None, int, str, str | None]] = [
    ("--today someday plan", None, 2, "Error: Invalid value for '--today': 'someday' is not a date; write YYYY-MM-DD", None),
    ("--today 2027-02-30 plan", None, 2, "Error: Invalid value for '--today': '2027-02-30' is not a date; write YYYY-MM-DD", None),
    ("plan", "bad", 2, "Error: Invalid value for USCE_TODAY: 'bad' is not a date; write YYYY-MM-DD", None),
    ("plan", "2027-02-30", 2, "Error: Invalid value for USCE_TODAY: '2027-02-30' is not a date; write YYYY-MM-DD", None),
    ("plan add no-such-program --start 2027-10", None, 1, "Error: no program with id 'no-such-program' in the catalog…", None),
    ("plan add cc-florida-observer --start 2027-06-02", None, 1, "Error: plan: cc-florida-observer: start 2027-06-02 is not allowed (first Monday of the month); nearest allowed: 2027-05-03, 2027-06-07", None),
    ("plan add cc-florida-observer --start 2028-01 --weeks 3", None, 1, "Error: plan: cc-florida-observer: --weeks 3 is not offered (offered: 4, 8)", None),
    ("plan add cc-florida-observer --start 2028-01 --weeks 0", None, 1, "Error: plan: cc-florida-observer: --weeks 0 is not offered (offered: 4, 8)", None),
    ("plan add cc-florida-observer --start 2028-01 --weeks -2", None, 1, "Error: plan: cc-florida-observer: --weeks -2 is not offered (offered: 4, 8)", None),
    ("plan add cc-florida-observer --start 2028-01 --weeks four", None, 2, "Error: Invalid value for '--weeks': Input should be a valid integer, unable to parse string as an integer", None),
    ("plan add cc-florida-observer --start someday", None, 2, "Error: Invalid value for '--start': 'someday' is not a date; write YYYY-MM-DD or YYYY-MM", None),
    ("plan add cc-florida-observer --start 2027-02-30", None, 2, "Error: Invalid value for '--start': '2027-02-30' is not a date; write YYYY-MM-DD or YYYY-MM", None),
    ("plan add cc-florida-observer --start 2028-01 --status booked", None, 1, "Error: plan: 'booked' is not a status; statuses: planned, applied, waitlisted, accepted, rejected, withdrawn, completed", None),
    ("plan add cc-florida-observer --start 2028-01 --on 2027-01-01", None, 1, "Error: plan: --on 2027-01-01 is after today (2026-12-01)", None),
    ("plan add cc-florida-observer --start 2027-10-04", None, 1, "Error: plan: cc-florida-observer@2027-10-04 is in the plan already", None),
    ("plan add cc-florida-observer --start 2028-01 --weeks 8", None, 1, "Error: plan: cc-florida-observer: 4 weeks planned there already; 8 more would pass its cap of 8 weeks", None),
    ("plan remove nope@2027-10-04", None, 1, "Error: plan: no rotation 'nope@2027-10-04'; keys: cc-florida-observer@2027-10-04", None),
    ("plan status nope applied", None, 1, "Error: plan: no rotation 'nope'; keys: cc-florida-observer@2027-10-04", None),
    ("plan status cc-florida-observer booked", None, 1, "Error: plan: 'booked' is not a status; statuses: planned, applied, waitlisted, accepted, rejected, withdrawn, completed", None),
    ("plan status cc-florida-observer planned", None, 1, "Error: plan: cc-florida-observer@2027-10-04 is planned; status moves forward only (planned, applied, waitlisted, accepted, completed)", None),
    ("plan done me:nothing", None, 1, "Error: plan: no milestone 'me:nothing'; `usce plan` shows the ids", None),
    ("plan done cc-florida-observer@2027-10-04:apply --on tomorrow", None, 2, "Error: Invalid value for '--on': 'tomorrow' is not a date; write YYYY-MM-DD", None),
    ("plan --program no-such --start 2028-01", None, 1, "Error: no program with id 'no-such' in the catalog…", None),
    ("plan --program cc-florida-observer", None, 2, "Error: Invalid value for '--program': --program and --start go together", None),
    ("plan --match 1999", None, 2, "Error: Invalid value for '--match': Input should be greater than or equal to 2000", None),
    ("plan --frobnicate", None, 2, "Error: No such option: --frobnicate", None),
    ("frobnicate", None, 2, "Error: No such command 'frobnicate'.", None),
    ("export --format xyz", None, 2, "Error: Invalid value for '--format': 'xyz' is not one of: ics, json, csv, md, html", None),
    ("export -o plan.foo", None, 2, "Error: Invalid value for '-o': 'plan.foo' has no known extension (.ics, .json, .csv, .md, .html); or give --format", None),
    ("export", None, 2, "Error: Invalid value for '--format': writing to stdout needs --format (ics, json, csv, md or html)", None),
    ("export -o {home}/old.ics", None, 1, "Error: {home}/old.ics: the file exists; use --force to replace it", None),
    ("export -o {home}/folder.ics --force", None, 1, "Error: {home}/folder.ics: is a folder, not a file", None),
    ("eligible --explain no-such-program", None, 1, "Error: no program with id 'no-such-program' in the catalog…", None),
    ("eligible --start 2027-13", None, 2, "Error: Invalid value for '--start': '2027-13' is not a date; write YYYY-MM-DD or YYYY-MM", None),
    ("programs show no-such-program", None, 1, "Error: no program with id 'no-such-program' in the catalog…", None),
    ("programs --kind internship", None, 2, "Error: Invalid value for '--kind': 'internship' is not one of: elective, observership, externship, research, pre-residency", None),
    ("--only-catalog programs", None, 2, "Error: Invalid value for '--only-catalog': needs at least one --catalog", None),
    ("--catalog /dev/zero programs", None, 1, "Error: /dev/zero: is not a regular file", None),
    ("profile set nickname Sam", None, 1, "Error: {home}/profile.toml: nickname: unknown key; did you mean name?", None),
    ("profile set graduation 2027-02-30", None, 1, "Error: {home}/profile.toml: graduation: '2027-02-30' is not a date (YYYY-MM-DD)", None),
    ("profile set step1.score abc", None, 1, "Error: {home}/profile.toml: step1.score: 'abc' is not a whole number", None),
    ("profile set visa.holds h1", None, 1, "Error: {home}/profile.toml: visa.holds: Input should be 'none', 'b1', 'b2', 'b1-b2', 'esta', 'f1', 'f2', 'j1', 'j2', 'h1b', 'h4', 'l2', 'o1', 'o3' or 'other'", None),
    ("profile set stage", None, 2, "Error: Invalid value: 'stage' has no value; give KEY VALUE pairs", None),
    ("profile set step1.status passed step1.date 2030-01-01", None, 1, "Error: {home}/profile.toml: step1.date: a passed exam cannot be dated after today (2026-12-01)", None),
    ("profile set citizenship UK", None, 1, "Error: {home}/profile.toml: citizenship: 'UK' is not an assigned ISO 3166 country code (the United Kingdom is GB)", None),
    ("profile init --stage graduate --graduation 2024-06-30 --citizenship IN", None, 1, "Error: {home}/profile.toml: a profile exists already; use --force to replace it", None),
    ("--today 9999-12-31 eligible", None, 2, "Error: Invalid value for '--today': '9999-12-31' is outside the years 1900 to 2999", None),
    ("--today 0001-01-01 programs", None, 2, "Error: Invalid value for '--today': '0001-01-01' is outside the years 1900 to 2999", None),
    ("--catalog {corpus}/catalog/far_future_start.toml plan add late --start 9999-12-27", None, 2, "Error: Invalid value for '--start': '9999-12-27' is outside the years 1900 to 2999", None),
    # Dates at the edges (section 1): every date given lies in 1900-2999 or is refused; dates
    # worked out from them are in range or reported "out of range".
    ("programs", "0001-01-01", 2, "Error: Invalid value for USCE_TODAY: '0001-01-01' is outside the years 1900 to 2999", None),
    ("eligible --start 0001-01", None, 2, "Error: Invalid value for '--start': '0001-01' is outside the years 1900 to 2999", None),
    ("eligible --start 3000-01-01", None, 2, "Error: Invalid value for '--start': '3000-01-01' is outside the years 1900 to 2999", None),
    ("plan add cc-florida-observer --start 0001-01 --status completed", None, 2, "Error: Invalid value for '--start': '0001-01' is outside the years 1900 to 2999", None),
    ("plan --program cc-florida-observer --start 0001-01", None, 2, "Error: Invalid value for '--start': '0001-01' is outside the years 1900 to 2999", None),
    ("plan status cc-florida-observer applied --on 0001-01-01", None, 2, "Error: Invalid value for '--on': '0001-01-01' is outside the years 1900 to 2999", None),
    ("plan done match-0000:eras-opens", None, 1, "Error: plan: no milestone 'match-0000:eras-opens'; Match years run from 2000 to 2100", None),
    ("plan done match-00000000000000000020:eras-opens", None, 1, "Error: plan: no milestone 'match-00000000000000000020:eras-opens'; Match years run from 2000 to 2100", None),
    ("plan --match 99999999999999999999", None, 2, "Error: Invalid value for '--match': Input should be less than or equal to 2100", None),
    ("profile set target_match 99999999999999999999", None, 1, "Error: {home}/profile.toml: target_match: Input should be less than or equal to 2100", None),
    ("profile set graduation 1899-12-31", None, 1, "Error: {home}/profile.toml: graduation: '1899-12-31' is outside the years 1900 to 2999", None),
    ("--today 2999-12-31 plan --example", None, 1, "Error: --example: made from today (2999-12-31), the example's Match would be in 3002, out of range (Match years run from 2000 to 2100)", None),
    ("--today 1900-01-01 plan --example", None, 1, "Error: --example: made from today (1900-01-01), the example's Match would be in 1902, out of range (Match years run from 2000 to 2100)", None),
    ("--today 1900-01-01 eligible --example", None, 1, "Error: --example: made from today (1900-01-01), the example's Match would be in 1902, out of range (Match years run from 2000 to 2100)", None),
    ("--today 2999-12-31 plan --program cc-florida-observer --start 2999-12", None, 1, "Error: plan: cc-florida-observer: no allowed start in 2999-12 (first Monday of the month); nearest allowed: none", None),
    ("--today 2999-12-01 --catalog {corpus}/catalog/any_day_start.toml plan add anyday --start 2999-12-30", None, 1, "Error: plan: anyday: 4 weeks from 2999-12-30 would end on 3000-01-26, out of range (the years 1900 to 2999)", None),
    ("--today 2999-12-01 --catalog {corpus}/catalog/any_day_start.toml plan --program anyday --start 2999-12-30", None, 1, "Error: plan: anyday: 4 weeks from 2999-12-30 would end on 3000-01-26, out of range (the years 1900 to 2999)", None),
    ("profile set english.ielts \uff17.\uff15", None, 1, "Error: {home}/profile.toml: english.ielts: '\uff17.\uff15' is not a number", None),
    ("--today \x1b]8;;x\x07 plan", None, 2, "Error: Invalid value for '--today': '\\x1b]8;;x\\x07' is not a date; write YYYY-MM-DD", None),
    ("plan --frob\x1b[31m", None, 2, "Error: No such option: --frob\\x1b[31m", None),
    ("frob\x9b2J", None, 2, "Error: No such command 'frob\\x9b2J'.", None),
    ("profile set english.ielts nan", None, 1, "Error: {home}/profile.toml: english.ielts: 'nan' is not a number", None),
    ("--plan {home}/loop.toml plan add cc-florida-observer --start 2028-01", None, 1, "Error: {home}/loop.toml: cannot be read (Too many levels of symbolic links)", None),
    ("--plan {home}/loop.toml plan", None, 1, "Error: {home}/loop.toml: cannot be read (Too many levels of symbolic links)", None),
    ("--profile {home}/loop.toml profile init --stage graduate --graduation 2024-06-30 --citizenship IN", None, 1, "Error: {home}/loop.toml: cannot be read (Too many levels of symbolic links)", None),
]
# Hand-edited plans that break what the CLI enforces: each loads, and `usce plan` warns, naming
# the rotation and the rule: (file, kind, id, detail).
WARNING_CASES: list[tuple[str, str, str, str]] = [
    ("plan/hand_edited_over_cap", "over-cap", "cc-florida-observer@2028-01-03", "brings the weeks planned at cc-florida-observer to 12, past its cap of 8 weeks (max_weeks)"),
    ("plan/hand_edited_length_not_offered", "length-not-offered", "cc-florida-observer@2027-10-04", "52 weeks is not a length cc-florida-observer offers (offered: 4, 8)"),
    ("plan/hand_edited_completed_in_future", "completed-in-future", "cc-florida-observer@2027-10-04", "marked completed, but starts 2027-10-04, after today (2026-12-01)"),
    ("plan/hand_edited_uid_token_example", "reserved-uid-token", "uid_token", "uid_token 'example' is kept for plans usce makes up; calendar events of this plan would clash with theirs. Write 8 hex digits, such as 3f9c2a71"),
    ("plan/hand_edited_uid_token_adhoc", "reserved-uid-token", "uid_token", "uid_token 'adhoc' is kept for plans usce makes up; calendar events of this plan would clash with theirs. Write 8 hex digits, such as 3f9c2a71"),
    ("plan/hand_edited_done_in_future", "done-in-future", "me:visa", "marked done on 2027-01-05, after today (2026-12-01)"),
    ("plan/hand_edited_history_in_future", "history-in-future", "cc-florida-observer@2027-10-04", "history: applied on 2027-02-01, after today (2026-12-01)"),
    ("plan/hand_edited_start_not_allowed", "start-not-allowed", "cc-florida-observer@2027-10-05", "the program no longer allows a start on 2027-10-05"),
]
# fmt: on


def _make_input(name: str, folder: Path) -> Path:
    kind, _, stem = name.partition("/")
    path = folder / f"{kind}-{stem.strip('<>')}.toml"
    if stem == "<folder>":
        path.mkdir()
    elif stem == "<fifo>":
        os.mkfifo(path)
    elif stem == "<loop>":
        path.symlink_to(path.name)
    elif stem == "<unreadable>":
        if os.geteuid() == 0:
            pytest.skip("root reads every file; the FIFO case covers an unreadable file")
        path.write_text(PROFILE, encoding="utf-8")
        path.chmod(0)
    elif stem != "<missing>":
        path.write_bytes((CORPUS / f"{name}.toml").read_bytes())
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return the bytes of every regular file under ``folder`` (FIFOs and links are not read).

    The cache folder is left out: it holds no one's data, and a parsed catalog may be kept there.
    """
    files = {}
    for path in sorted(folder.rglob("*")):
        if "cache" in path.relative_to(folder).parts[:-1]:
            continue
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode) and mode & stat.S_IRUSR:
            files[str(path.relative_to(folder))] = path.read_bytes()
    return files


_cached_command = functools.cache(typer.main.get_command)


def cache_typer_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the click command once: Typer rebuilds it (60 ms) on every CliRunner.invoke."""
    monkeypatch.setattr(typer.testing, "_get_command", _cached_command)


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home with a valid profile, a valid plan, an earlier export and a symlink loop."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "profile.toml").write_text(PROFILE, encoding="utf-8")
    (isolated_home / "plan.toml").write_text(PLAN, encoding="utf-8")
    (isolated_home / "old.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    (isolated_home / "loop.toml").symlink_to("loop.toml")
    (isolated_home / "folder.ics").mkdir()
    monkeypatch.chdir(isolated_home)
    cache_typer_commands(monkeypatch)
    return isolated_home


def check_outcome(invoke: Invoke, argv: list[str], root: Path, code: int, error: str) -> None:
    """Run; check the exit code, the first Error line, no traceback, and every file unchanged."""
    before = snapshot(root)
    result = invoke(argv)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    if error.endswith("…"):
        error = next((line for line in errors if line.startswith(error[:-1])), error)
    assert (result.exit_code, errors[:1]) == (code, [error]), result.stderr
    if code == 1:
        assert result.stderr.startswith(error + "\n"), "exit 1 starts with the Error line"
        many = re.fullmatch(r"Error: .*: (\d+) problems", error)
        if many:
            lines = result.stderr.splitlines()[1 : 1 + int(many.group(1))]
            assert all(line.startswith("  ") and line.strip() for line in lines), lines
    else:
        assert len(errors) == 1, result.stderr
        assert result.stderr.lstrip().startswith("Usage:"), result.stderr
    after = snapshot(root)
    for name in set(after) - set(before):  # the plan's lock file may stay (section 2)
        if name.endswith(".toml.lock") and after[name] == b"":
            del after[name]
    assert after == before, "a user's file changed"


def _file_param(case: tuple[str, int, str]) -> object:
    reason = XFAIL_FILES.get(case[0])
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(*case, marks=marks, id=case[0])


@pytest.mark.parametrize(("name", "code", "error"), [_file_param(c) for c in FILE_CASES])
def test_bad_file(
    name: str, code: int, error: str, home: Path, invoke: Invoke, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    path = _make_input(name, inputs)
    argv = [arg.replace("{path}", str(path)) for arg in COMMANDS[name.partition("/")[0]]]
    check_outcome(
        invoke, ["--today", TODAY, *argv], tmp_path, code, error.replace("{path}", str(path))
    )


def _cli_param(case: tuple[str, str | None, int, str, str | None]) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case[4])] if case[4] else []
    return pytest.param(
        *case[:4], marks=marks, id=case[0] + (f" USCE_TODAY={case[1]}" if case[1] else "")
    )


@pytest.mark.parametrize(("args", "env_today", "code", "error"), [_cli_param(c) for c in CLI_CASES])
def test_bad_command_line(
    args: str,
    env_today: str | None,
    code: int,
    error: str,
    home: Path,
    invoke: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = args.replace("{home}", str(home)).replace("{corpus}", str(CORPUS)).split()
    if env_today is None:
        argv = ["--today", TODAY, *argv] if "--today" not in argv else argv
    else:
        monkeypatch.setenv("USCE_TODAY", env_today)
    check_outcome(invoke, argv, tmp_path, code, error.replace("{home}", str(home)))


@pytest.mark.parametrize(
    ("name", "kind", "item", "detail"), WARNING_CASES, ids=[c[0] for c in WARNING_CASES]
)
def test_a_hand_edited_plan_that_breaks_a_rule_is_a_warning(
    name: str, kind: str, item: str, detail: str, home: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = home / "plan.toml"
    path.write_bytes((CORPUS / f"{name}.toml").read_bytes())
    before = snapshot(tmp_path)
    result = invoke(["--today", TODAY, "plan", "--json"])
    assert result.exit_code in (0, 3), result.output
    assert not [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    warnings = json.loads(result.stdout)["warnings"]
    assert {"kind": kind, "id": item, "detail": detail} in warnings, warnings
    shown = invoke(["--today", TODAY, "plan", "--no-color"])
    assert f"- {kind} ({item}): " in shown.stdout
    assert snapshot(tmp_path) == before, "a hand-edited plan is only read"


def test_the_corpus_is_large_and_every_file_is_used() -> None:
    used = {name for name, _, _ in FILE_CASES if not name.endswith(">")}
    used |= {name for name, *_ in WARNING_CASES}
    used |= {m for c in CLI_CASES for m in re.findall(r"\{corpus\}/(\S+)\.toml", c[0])}
    on_disk = {str(p.relative_to(CORPUS).with_suffix("")) for p in CORPUS.rglob("*.toml")}
    assert used == on_disk
    assert len(FILE_CASES) + len(CLI_CASES) >= 60


def test_the_real_entry_point_prints_the_same_lines(tmp_path: Path) -> None:
    env = {**os.environ, "USCE_HOME": str(tmp_path), "USCE_TODAY": "someday"}
    binary = CORPUS / "catalog" / "binary.toml"
    for args, code, line in (
        (["--today", TODAY, "--catalog", str(binary), "programs"], 1, f"Error: {binary}: is not UTF-8 text (byte 128); save it as UTF-8"),
        (["plan"], 2, "Error: Invalid value for USCE_TODAY: 'someday' is not a date; write YYYY-MM-DD"),
    ):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "usce_planner", *args], env=env, capture_output=True, text=True
        )
        assert (done.returncode, done.stdout) == (code, "")
        assert line in done.stderr.splitlines()
        assert "Traceback" not in done.stderr
