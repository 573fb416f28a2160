// zhbridge's review page: plain DOM code, no build step. Every text from the server goes in through
// textContent, never innerHTML, so a translation cannot inject markup.
"use strict";
const $ = (id) => document.getElementById(id);

function apiKey() {
  return $("api-key").value.trim();
}

async function call(path, options) {
  const response = await fetch(path, options);
  let data;
  try { data = await response.json(); } catch (e) { data = { error: `HTTP ${response.status}` }; }
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function status(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

// the English of one unit with each glossary rendering the engine found wrapped in <mark class="term">
function highlighted(text, terms) {
  const needles = [];
  for (const t of terms) {
    for (const s of [t.found, t.en]) if (s && s.trim()) needles.push({ s, t });
  }
  needles.sort((a, b) => b.s.length - a.s.length);
  const lower = text.toLowerCase();
  const taken = [];
  for (const n of needles) {
    let at = lower.indexOf(n.s.toLowerCase());
    while (at >= 0) {
      const end = at + n.s.length;
      // whole words only: "mini series" is not highlighted inside "minimini series"
      const edges = !/\w/.test(text[at - 1] || "") && !/\w/.test(text[end] || "");
      if (edges && !taken.some((r) => at < r.end && end > r.start)) taken.push({ start: at, end, t: n.t });
      at = lower.indexOf(n.s.toLowerCase(), end);
    }
  }
  taken.sort((a, b) => a.start - b.start);
  const out = document.createDocumentFragment();
  let pos = 0;
  for (const r of taken) {
    out.append(text.slice(pos, r.start));
    const mark = document.createElement("mark");
    mark.className = "term";
    mark.title = `${r.t.zh} → ${r.t.en} (${r.t.status})`;
    mark.textContent = text.slice(r.start, r.end);
    out.append(mark);
    pos = r.end;
  }
  out.append(text.slice(pos));
  return out;
}

function show(details) {
  const result = $("result");
  result.replaceChildren();
  const byUnit = new Map();
  for (const seg of details.segments) {
    if (!byUnit.has(seg.unit)) byUnit.set(seg.unit, []);
    byUnit.get(seg.unit).push(seg);
  }
  details.units.forEach((unit, u) => {
    const segs = byUnit.get(u) || [];
    if (!segs.length) return;
    const div = document.createElement("div");
    div.className = "unit";
    div.title = unit.source;
    const flags = segs.flatMap((s) => s.qa.map((q) => `${s.id} ${q.kind}: ${q.detail}`));
    if (flags.length) div.classList.add("flagged");
    if (segs.every((s) => s.origin !== "mt")) div.classList.add("tm");
    const text = document.createElement("div");
    text.className = "text";
    text.append(highlighted(unit.translation, segs.flatMap((s) => s.terms.filter((t) => t.status !== "not-honoured"))));
    div.append(text);
    if (flags.length) {
      const f = document.createElement("div");
      f.className = "flags";
      f.textContent = "⚑ " + flags.join(" · ");
      div.append(f);
    }
    result.append(div);
  });
  const s = details.summary;
  $("summary").textContent = s.segments === undefined ? "" :
    `${s.segments} segments · ${s.tm_exact + s.tm_fuzzy} from TM · terms ${s.terms_honoured}/${s.terms_found}`;
}

async function translateText() {
  const q = $("source").value;
  if (!q.trim()) return status("Type or paste some Chinese first.", true);
  $("translate").disabled = true;
  status("Translating…");
  try {
    const body = { q, source: "zh", target: "en", format: "text", details: true };
    if (apiKey()) body.api_key = apiKey();
    const data = await call("/translate", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    show(data.details);
    $("result").dataset.text = data.translatedText;
    status("Done.");
  } catch (e) {
    status(e.message, true);
  } finally {
    $("translate").disabled = false;
  }
}

async function translateFile(file) {
  status(`Translating ${file.name}…`);
  $("download-row").hidden = true;
  const form = new FormData();
  form.append("file", file);
  form.append("source", "zh");
  form.append("target", "en");
  form.append("details", "true");
  if (apiKey()) form.append("api_key", apiKey());
  try {
    const data = await call("/translate_file", { method: "POST", body: form });
    show(data.details);
    const link = $("download");
    link.href = data.translatedFileUrl;
    link.download = file.name;
    link.textContent = `Download ${file.name} in English`;
    $("download-row").hidden = false;
    status("Done.");
  } catch (e) {
    status(e.message, true);
  }
}

async function lookup(event) {
  event.preventDefault();
  const q = $("lookup-q").value.trim();
  if (!q) return;
  const params = new URLSearchParams({ q });
  if (apiKey()) params.set("api_key", apiKey());
  const body = $("lookup-results").tBodies[0];
  body.replaceChildren();
  try {
    const data = await call(`/lookup?${params}`);
    if (!data.results.length) {
      const row = body.insertRow();
      row.insertCell().textContent = `no entry for ${q}`;
    }
    for (const hit of data.results) {
      const row = body.insertRow();
      const match = hit.origin === "glossary" ? hit.mode : "CC-CEDICT";
      for (const v of [match, hit.zh, hit.pinyin, hit.en, (hit.variants || []).join("; "), hit.note || ""]) row.insertCell().textContent = v;
    }
  } catch (e) {
    body.insertRow().insertCell().textContent = e.message;
  }
}

$("translate").addEventListener("click", translateText);
$("lookup-form").addEventListener("submit", lookup);
$("file").addEventListener("change", (e) => { if (e.target.files[0]) translateFile(e.target.files[0]); });
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  if (e.dataTransfer.files[0]) translateFile(e.dataTransfer.files[0]);
});
fetch("/frontend/settings").then((r) => r.json()).then((s) => { if (s.keyRequired) $("key-box").hidden = false; }).catch(() => {});
