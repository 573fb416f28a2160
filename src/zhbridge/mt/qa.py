"""Quality checks a reviewer wants before publishing: terms, numbers and dates, leftover Chinese, odd lengths.

Numbers are compared by value, so ``3亿`` matches ``300 million`` and ``1.5万`` matches
``15,000``; a month written ``12月`` matches ``December``. Only Arabic digits are checked
on the Chinese side: Chinese numerals are too often part of words (一线城市) to compare.
"""
from __future__ import annotations

import json
import re
from collections import Counter

from zhbridge.io import atomic_write_text

ZH_MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
EN_MULTIPLIERS = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "thousand": 1e3}
MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], 1)}
_ZH_NUM = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_EN_NUM = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(trillion|billion|million|thousand)?", re.IGNORECASE)
_EN_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
MIN_RATIO, MAX_RATIO, MIN_CHARS_FOR_RATIO = 0.8, 6.0, 8


def _fullwidth_digits(text: str) -> str:
    return text.translate({0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF0E: 0x2E, 0xFF0C: 0x2C})


def _key(value: float) -> str:
    return f"{value:.6g}"


def zh_numbers(text: str) -> Counter:
    values: Counter[str] = Counter()
    for m in _ZH_NUM.finditer(_fullwidth_digits(text)):
        value = float(m.group(1).replace(",", "")) * ZH_MULTIPLIERS.get(m.group(2) or "", 1)
        values[_key(value)] += 1
    return values


def en_numbers(text: str) -> Counter:
    values: Counter[str] = Counter()
    for m in _EN_NUM.finditer(text):
        value = float(m.group(1).replace(",", "")) * EN_MULTIPLIERS.get((m.group(2) or "").lower(), 1)
        values[_key(value)] += 1
    for m in _EN_MONTH.finditer(text):
        if m.group(1).lower() == "may" and m.group(1) == "may":
            continue  # the modal verb, not the month
        values[_key(MONTHS[m.group(1).lower()])] += 1
    return values


def repetition_loop(text: str, n: int = 4, times: int = 3) -> str | None:
    """The word n-gram that ``text`` repeats ``times`` or more times (a decoding loop), else None."""
    words = text.lower().split()
    counts = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    gram, count = max(counts.items(), key=lambda kv: kv[1], default=((), 0))
    return " ".join(gram) if count >= times else None


def check_segment(src: str, tgt: str) -> list[dict]:
    """Issues of one translated segment (terms are checked by enforcement and merged by the caller)."""
    issues = []
    zh, en = zh_numbers(src), en_numbers(tgt)
    missing = sorted((zh - en).elements())
    extra = sorted((en - zh).elements())
    if missing or extra:
        issues.append({"kind": "numbers", "detail": f"source numbers missing in target: {missing or '-'}; "
                                                    f"target numbers not in source: {extra or '-'}"})
    loop = repetition_loop(tgt)
    if loop:
        issues.append({"kind": "repetition", "detail": f"repeated 4-gram loop: {loop!r}"})
    han = _CJK.findall(tgt)
    if han:
        issues.append({"kind": "untranslated", "detail": f"{len(han)} Chinese characters left: {''.join(han[:20])}"})
    n_src = len(_CJK.findall(src))
    if n_src >= MIN_CHARS_FOR_RATIO and tgt.strip():
        ratio = len(tgt) / len(src)
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            issues.append({"kind": "length-ratio", "detail": f"target/source length {ratio:.2f} outside "
                                                             f"[{MIN_RATIO}, {MAX_RATIO}]"})
    elif n_src and not tgt.strip():
        issues.append({"kind": "length-ratio", "detail": "empty translation"})
    return issues


def origin_label(origin: str, score: float | None) -> str:
    if origin == "tm-exact":
        return "TM exact"
    if origin == "tm-fuzzy":
        return f"TM fuzzy {score:.0f}%"
    return "MT"


def build_report(name: str, segments: list[dict], settings: dict) -> dict:
    """The QA report of one document from its finished segment records."""
    issues: list[dict] = []
    counts: Counter[str] = Counter()
    for seg in segments:
        counts[seg["origin"]] += 1
        for t in seg["terms"]:
            counts["terms_found"] += 1
            counts[f"terms_{t['status']}"] += 1
            if t["status"] in ("not-honoured", "post-edited"):
                issues.append({"segment": seg["id"], "kind": "term" if t["status"] == "not-honoured" else "term-post-edited",
                               "detail": f"{t['zh']} → {t['en']}: {t['reason']}"})
        for issue in check_segment(seg["src"], seg["tgt"]):
            counts[issue["kind"]] += 1
            issues.append({"segment": seg["id"], **issue})
    summary = {
        "segments": len(segments),
        "tm_exact": counts["tm-exact"], "tm_fuzzy": counts["tm-fuzzy"], "mt": counts["mt"],
        "terms_found": counts["terms_found"],
        "terms_honoured": counts["terms_found"] - counts["terms_not-honoured"],
        "terms_by_mt": counts["terms_honoured"], "terms_by_constrained_decoding": counts["terms_constrained-decoding"],
        "terms_post_edited": counts["terms_post-edited"], "terms_not_honoured": counts["terms_not-honoured"],
        "number_mismatches": counts["numbers"], "untranslated_chinese": counts["untranslated"],
        "suspicious_length": counts["length-ratio"], "repetition_loops": counts["repetition"],
    }
    return {"document": name, "settings": settings, "summary": summary, "issues": issues}


def report_markdown(report: dict, max_issues: int = 40) -> str:
    s = report["summary"]
    lines = [f"# QA report: {report['document']}", "",
             f"Model `{report['settings'].get('model', '?')}` ({report['settings'].get('backend', '?')}), "
             f"enforcement {'on' if report['settings'].get('enforce') else 'off'}, "
             f"TM {report['settings'].get('tm') or 'none'}.", "",
             "| segments | TM exact | TM fuzzy | MT | terms found | honoured | by constrained decoding | post-edited | not honoured |",
             "|---|---|---|---|---|---|---|---|---|",
             f"| {s['segments']} | {s['tm_exact']} | {s['tm_fuzzy']} | {s['mt']} | {s['terms_found']} | {s['terms_honoured']} "
             f"| {s['terms_by_constrained_decoding']} | {s['terms_post_edited']} | {s['terms_not_honoured']} |", "",
             f"Numbers/dates mismatched: {s['number_mismatches']} · Chinese left untranslated: {s['untranslated_chinese']} "
             f"· suspicious length ratio: {s['suspicious_length']} · repetition loops: {s['repetition_loops']}", ""]
    if report["issues"]:
        lines += ["## Issues", ""]
        for issue in report["issues"][:max_issues]:
            lines.append(f"- `{issue['segment']}` {issue['kind']}: {issue['detail']}")
        if len(report["issues"]) > max_issues:
            lines.append(f"- … {len(report['issues']) - max_issues} more in the JSON report")
    return "\n".join(lines) + "\n"


def write_report(report: dict, json_path, md_path, *, overwrite: bool) -> None:
    atomic_write_text(json_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n", overwrite=overwrite)
    atomic_write_text(md_path, report_markdown(report), overwrite=overwrite)
