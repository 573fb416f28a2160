"""Quality checks a reviewer wants before publishing: terms, numbers and dates, invented names and words,
leftover Chinese, odd lengths, repetition.

Numbers are compared by value, so ``3亿`` matches ``300 million`` and ``1.5万`` matches
``15,000``; a month written ``12月`` matches ``December``. Both sides are read by
:mod:`zhbridge.text.numbers`, the reader number repair (:mod:`zhbridge.mt.numbers`) uses,
so what the repair fixes is exactly what this check stops counting, and a number is shown
as written (``20202020202020202020``, not its float ``2.0202e+19``). Single Chinese
numerals (一, 三) are not required in the English (一线城市, "a drama") but may appear there.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from zhbridge.io import atomic_write_text
from zhbridge.mt.review import needs_review, review_flags, review_line, review_rank, review_summary
from zhbridge.mt.segments import Segment
from zhbridge.text.numbers import ZH_DIGIT_VALUE, ZH_UNIT
from zhbridge.text.repetition import repetition_loop, stutter

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
MIN_RATIO, MAX_RATIO, MIN_CHARS_FOR_RATIO = 0.8, 6.0, 8


def _fullwidth_digits(text: str) -> str:
    return text.translate({0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF0E: 0x2E, 0xFF0C: 0x2C})


# a lone numeral character (三, 两, 百) is a value the English may write in digits
_SINGLE_NUMERALS = {c: float(v) for c, v in (ZH_DIGIT_VALUE | ZH_UNIT).items()}


def number_mismatches(src: str, tgt: str, terms=()) -> tuple[list[str], list[str]]:
    """Source numbers (as written) whose value the translation lacks, and English numbers written in
    digits whose value the source has nowhere (a lone Chinese numeral such as 三, a circled ⑩, or a
    number inside a glossary rendering of the segment, ``Ne Zha 2``, counts as having it)."""
    from zhbridge.mt.numbers import digit_loops
    from zhbridge.text.numbers import EN_NUMBER, same_value, source_numbers, target_values

    numbers = source_numbers(src)
    available = target_values(tgt)
    missing = []
    for n in numbers:
        if n.value is None:
            if n.text.lower() not in tgt.lower():
                missing.append(n.text)
            continue
        hit = next((i for i, v in enumerate(available) if same_value(v, n.value)), None)
        if hit is None:
            missing.append(n.text)
        else:
            available.pop(hit)
    allowed = [n.value for n in numbers if n.value is not None] + [v for c, v in _SINGLE_NUMERALS.items() if c in src]
    allowed += [float(m.group(0)) for m in re.finditer(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", _fullwidth_digits(src))]
    allowed += [float(ord(c) - 0x245F) for c in src if "\u2460" <= c <= "\u2473"]  # ① … ⑳
    allowed += [v for t in terms for v in target_values(t.get("found") or t.get("en") or "")]
    extra = [
        m.group(0).strip()
        for m in EN_NUMBER.finditer(tgt)
        if not any(same_value(v, a) for v in target_values(m.group(0)) for a in allowed)
    ]
    # a digit loop glued to letters (PERSON2020202020) is no number to the reader, but still wrong
    extra += [m.group(0) for m in digit_loops(tgt) if m.group(0) not in extra]
    return missing, extra


def check_segment(src: str, tgt: str, terms=()) -> list[dict]:
    """Issues of one translated segment (terms are checked by enforcement and merged by the caller;
    ``terms``, the segment's term records, excuse numbers and names that belong to a rendering and
    are checked for placement)."""
    from zhbridge.mt.review import doubled_words, invented_names, invented_words, markup_junk, misplaced_terms

    issues = []
    missing, extra = number_mismatches(src, tgt, terms)
    if missing:  # missing, or changed when the English has a number the source lacks
        issues.append(
            {
                "kind": "numbers",
                "detail": f"source numbers missing in target: {missing}; target numbers not in source: {extra or '-'}",
            }
        )
    if len(extra) > len(missing):  # more numbers than a change explains: invented
        issues.append({"kind": "numbers-invented", "detail": f"target numbers not in source: {extra}"})
    names = invented_names(src, tgt, terms)
    if names:
        issues.append({"kind": "invented-name", "detail": f"names nothing in the source supports: {names}"})
    words = invented_words(src, tgt, terms)
    if words:
        issues.append({"kind": "invented-word", "detail": f"words no English has: {words}"})
    junk = markup_junk(src, tgt)
    if junk:
        issues.append({"kind": "markup-junk", "detail": f"markup or entities in the English: {junk}"})
    for term, where in misplaced_terms(src, tgt, terms):
        issues.append({"kind": "term-misplaced", "detail": f"{term!r} {where}"})
    loop = repetition_loop(tgt)
    if loop:
        issues.append({"kind": "repetition", "detail": f"repeated 4-gram loop: {loop!r}"})
    elif stutter(tgt):
        issues.append({"kind": "repetition", "detail": f"word repeated 3+ times in a row: {stutter(tgt)!r}"})
    else:
        doubled = doubled_words(src, tgt)
        if doubled:
            issues.append({"kind": "doubled-word", "detail": f"word written twice in a row: {doubled}"})
    han = _CJK.findall(tgt)
    if han:
        issues.append({"kind": "untranslated", "detail": f"{len(han)} Chinese characters left: {''.join(han[:20])}"})
    n_src = len(_CJK.findall(src))
    if n_src >= MIN_CHARS_FOR_RATIO and tgt.strip():
        ratio = len(tgt) / len(src)
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            issues.append(
                {"kind": "length-ratio", "detail": f"target/source length {ratio:.2f} outside [{MIN_RATIO}, {MAX_RATIO}]"}
            )
    elif n_src and not tgt.strip():
        issues.append({"kind": "length-ratio", "detail": "empty translation"})
    return issues


def origin_label(origin: str, score: float | None) -> str:
    if origin == "tm-exact":
        return "TM exact"
    if origin == "tm-fuzzy":
        return f"TM fuzzy {score:.0f}%"
    return "MT"


def build_report(name: str, segments: list[Segment], settings: dict) -> dict:
    """The QA report of one document from its finished segment records."""
    issues: list[dict] = []
    counts: Counter[str] = Counter()
    flag_lists: list[list[str]] = []
    reviews: list[bool] = []
    ranked: list[dict] = []
    for seg in segments:
        counts[seg["origin"]] += 1
        for t in seg["terms"]:
            counts["terms_found"] += 1
            counts[f"terms_{t['status']}"] += 1
            if t["status"] in ("not-honoured", "post-edited"):
                issues.append(
                    {
                        "segment": seg["id"],
                        "kind": "term" if t["status"] == "not-honoured" else "term-post-edited",
                        "detail": f"{t['zh']} → {t['en']}: {t['reason']}",
                    }
                )
        seg_issues = [
            {"kind": "term" if t["status"] == "not-honoured" else "term-post-edited"}
            for t in seg["terms"]
            if t["status"] in ("not-honoured", "post-edited")
        ]
        if seg.get("source_cut"):  # the model saw only the start of this segment's source
            counts["source-cut"] += 1
            seg_issues.append({"kind": "source-cut"})
            issues.append(
                {
                    "segment": seg["id"],
                    "kind": "source-cut",
                    "detail": "source longer than the model's window; its end was not translated",
                }
            )
        for issue in check_segment(seg["src"], seg["tgt"], seg.get("terms", ())):
            counts[issue["kind"]] += 1
            issues.append({"segment": seg["id"], **issue})
            seg_issues.append(issue)
        flags = review_flags(seg_issues)
        review = needs_review(seg, flags)
        flag_lists.append(flags)
        reviews.append(review)
        ranked.append(
            {
                "segment": seg["id"],
                "rank": round(review_rank(seg, flags), 4),
                "confidence": seg.get("confidence"),
                "logprob": seg.get("logprob"),
                "similarity": seg.get("similarity"),
                "needs_review": review,
                "flags": flags,
                "src": seg["src"],
                "tgt": seg["tgt"],
            }
        )
    summary: dict = {
        "segments": len(segments),
        "tm_exact": counts["tm-exact"],
        "tm_fuzzy": counts["tm-fuzzy"],
        "mt": counts["mt"],
        "terms_found": counts["terms_found"],
        "terms_honoured": counts["terms_found"] - counts["terms_not-honoured"],
        "terms_by_mt": counts["terms_honoured"],
        "terms_by_constrained_decoding": counts["terms_constrained-decoding"],
        "terms_post_edited": counts["terms_post-edited"],
        "terms_not_honoured": counts["terms_not-honoured"],
        "number_mismatches": counts["numbers"],
        "numbers_invented": counts["numbers-invented"],
        "invented_names": counts["invented-name"],
        "invented_words": counts["invented-word"],
        "markup_junk": counts["markup-junk"],
        "terms_misplaced": counts["term-misplaced"],
        "untranslated_chinese": counts["untranslated"],
        "suspicious_length": counts["length-ratio"],
        "repetition_loops": counts["repetition"],
        "doubled_words": counts["doubled-word"],
        "source_cut": counts["source-cut"],
    }
    summary.update(review_summary(flag_lists, reviews))
    confidences = [r["confidence"] for r in ranked if r["confidence"] is not None]
    summary["mean_confidence"] = round(sum(confidences) / len(confidences), 4) if confidences else None
    order = {r["segment"]: k for k, r in enumerate(sorted(ranked, key=lambda r: r["rank"]))}
    issues.sort(key=lambda i: order.get(i["segment"], len(order)))  # worst segment first
    return {
        "document": name,
        "settings": settings,
        "summary": summary,
        "segments": sorted(ranked, key=lambda r: r["rank"]),
        "issues": issues,
    }


def report_markdown(report: dict, max_issues: int = 40) -> str:
    s = report["summary"]
    lines = [
        f"# QA report: {report['document']}",
        "",
        f"Model `{report['settings'].get('model', '?')}` ({report['settings'].get('backend', '?')}), "
        f"enforcement {'on' if report['settings'].get('enforce') else 'off'}, "
        f"TM {report['settings'].get('tm') or 'none'}.",
        "",
        "| segments | TM exact | TM fuzzy | MT | terms found | honoured | by constrained decoding | post-edited | not honoured |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {s['segments']} | {s['tm_exact']} | {s['tm_fuzzy']} | {s['mt']} | {s['terms_found']} | {s['terms_honoured']} "
        f"| {s['terms_by_constrained_decoding']} | {s['terms_post_edited']} | {s['terms_not_honoured']} |",
        "",
        f"Numbers/dates mismatched: {s['number_mismatches']} · Chinese left untranslated: {s['untranslated_chinese']} "
        f"· suspicious length ratio: {s['suspicious_length']} · repetition loops: {s['repetition_loops']}"
        f" · doubled words: {s.get('doubled_words', 0)} · invented names: {s.get('invented_names', 0)}"
        f" · invented words: {s.get('invented_words', 0)}"
        f" · source cut (not translated whole): {s.get('source_cut', 0)}",
        "",
        f"**{review_line(s)}.**",
        "",
    ]
    worst = [r for r in report.get("segments", []) if r["needs_review"]]
    if worst:
        lines += ["## Segments to review, worst first", "", "| segment | confidence | flags | English |", "|---|---|---|---|"]
        for r in worst[:max_issues]:
            conf = "" if r["confidence"] is None else f"{r['confidence']:.2f}"
            english = r["tgt"].replace("|", "\\|")[:120]
            lines.append(f"| `{r['segment']}` | {conf} | {', '.join(r['flags']) or 'low confidence'} | {english} |")
        lines.append("")
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


def segment_flags(record: Segment) -> list[str]:
    """The review flags QA (mt.qa.build_report) gives a translated record: checks, terms, a source cut."""
    issues = check_segment(record["src"], record["tgt"], record.get("terms", ()))
    issues += [
        {"kind": "term" if t.get("status") == "not-honoured" else "term-post-edited"}
        for t in record.get("terms", ())
        if t.get("status") in ("not-honoured", "post-edited")
    ]
    if record.get("source_cut"):
        issues.append({"kind": "source-cut"})
    return review_flags(issues)
