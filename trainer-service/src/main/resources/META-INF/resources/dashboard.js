// The trainer's dashboard: runs, live learning curves, comparisons, sweeps. Plain JS + Chart.js, no build.
"use strict";

const view = document.getElementById("view");
const REFRESH_MS = 2000;
const COLORS = ["#2a7de1", "#e8590c", "#2f9e44", "#ae3ec9", "#d6336c", "#1098ad", "#f59f00", "#495057"];
let timer = null;
const charts = {};

document.getElementById("inference-link").href = `${location.protocol}//${location.hostname}:8082/`;

// ---------------------------------------------------------------------------------- helpers --
const $ = (html) => { const t = document.createElement("template"); t.innerHTML = html.trim(); return t.content.firstChild; };
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const pct = (v) => (v == null ? "–" : (100 * v).toFixed(1) + " %");
const num = (v, d = 0) => (v == null ? "–" : Number(v).toFixed(d));
const duration = (s) => (s == null ? "–" : s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`);

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(body?.detail || body?.title || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

/** Mutations need the bearer token: asked once, kept in this tab's sessionStorage. */
async function withToken(call) {
  let token = sessionStorage.getItem("nin-token");
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!token) {
      token = prompt("API token (NIN_API_TOKEN) for starting and cancelling runs:");
      if (!token) return null;
      sessionStorage.setItem("nin-token", token);
    }
    try {
      return await call({ Authorization: `Bearer ${token}` });
    } catch (e) {
      if (e.status !== 401 && e.status !== 403) throw e;
      sessionStorage.removeItem("nin-token");
      token = null;
    }
  }
  throw new Error("the token was refused");
}

function lineChart(id, title, yTitle, datasets, yMax, xTitle = "step") {
  const data = { datasets: datasets.map((d, i) => ({ borderWidth: 1.5, pointRadius: d.points ?? 0, borderColor: d.color ?? COLORS[i % COLORS.length], backgroundColor: d.color ?? COLORS[i % COLORS.length], ...d })) };
  if (charts[id] && charts[id].canvas.isConnected) {
    charts[id].data = data;
    charts[id].update("none");
    return charts[id];
  }
  const canvas = document.getElementById(id);
  charts[id] = new Chart(canvas, {
    type: "line",
    data,
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
      plugins: { title: { display: true, text: title }, legend: { position: "bottom" } },
      scales: { x: { type: "linear", title: { display: true, text: xTitle } }, y: { title: { display: true, text: yTitle }, min: 0, max: yMax } },
    },
  });
  return charts[id];
}

const series = (metrics, scope, split, field) =>
  metrics.filter((m) => m.scope === scope && m.split === split && m[field] != null).map((m) => ({ x: m.step, y: m[field] }));

// -------------------------------------------------------------------------------- run list --
async function showRuns() {
  const runs = await api("/api/runs?limit=100");
  if (!view.querySelector("#runs-table")) {
    view.replaceChildren($(`<div>
      <form class="new-run" id="new-run">
        <label>name<input name="name" value="dashboard"></label>
        <label>resize (px)<input name="resize" type="number" value="96" min="67" max="512"></label>
        <label>epochs<input name="epochs" type="number" value="1" min="1"></label>
        <label>train images<input name="trainLimit" type="number" value="10000" min="1"></label>
        <label>learning rate<input name="learningRate" type="number" value="0.001" step="any"></label>
        <label>batch<input name="batchSize" type="number" value="128" min="1"></label>
        <label>optimizer<select name="optimizer"><option>adam</option><option>sgd</option></select></label>
        <label>1×1 convs<select name="oneByOneConvs"><option>2</option><option>1</option></select></label>
        <label>recipe<select name="recipe"><option>default</option><option>chapter</option></select></label>
        <label>seed<input name="seed" type="number" value="42"></label>
        <button type="submit" id="start-run">Start run</button>
        <button type="button" id="compare">Compare selected</button>
        <span id="form-message"></span>
      </form>
      <table id="runs-table"><thead><tr><th></th><th>run</th><th>status</th><th>progress</th><th>hyperparameters</th>
        <th>best test top-1</th><th>images/s</th><th>ETA</th><th>created</th><th></th></tr></thead><tbody></tbody></table></div>`));
    view.querySelector("#new-run").addEventListener("submit", startRun);
    view.querySelector("#compare").addEventListener("click", () => {
      const ids = [...view.querySelectorAll("input.pick:checked")].map((c) => c.value);
      if (ids.length >= 2) location.hash = `#/compare/${ids.join(",")}`;
      else view.querySelector("#form-message").textContent = "pick two or more runs to compare";
    });
  }
  const picked = new Set([...view.querySelectorAll("input.pick:checked")].map((c) => c.value));
  const body = view.querySelector("#runs-table tbody");
  body.replaceChildren(...runs.map((r) => {
    const h = r.hyperparameters;
    const row = $(`<tr data-run="${esc(r.id)}">
      <td><input type="checkbox" class="pick" value="${esc(r.id)}" ${picked.has(r.id) ? "checked" : ""}></td>
      <td><a href="#/runs/${esc(r.id)}">${esc(r.name || r.id.slice(0, 8))}</a></td>
      <td><span class="status ${esc(r.status)}">${esc(r.status)}</span></td>
      <td><span class="bar"><div style="width:${100 * (r.progress ?? (r.status === "SUCCEEDED" ? 1 : 0))}%"></div></span>
          ${r.epoch}/${h.epochs}</td>
      <td>${h.resize} px · ${h.optimizer} ${h.learningRate} · batch ${h.batchSize} · 1×1 ×${h.oneByOneConvs} · seed ${h.seed}${h.trainLimit ? " · " + h.trainLimit + " imgs" : ""}</td>
      <td>${pct(r.bestTestTop1)}${deadClassFlag(r)}</td><td>${num(r.imagesPerSecond)}</td><td>${duration(r.etaSeconds)}</td>
      <td>${esc(new Date(r.createdAt).toLocaleString())}</td>
      <td>${r.status === "QUEUED" || r.status === "RUNNING" ? `<button class="cancel" data-run="${esc(r.id)}">cancel</button>` : ""}</td></tr>`);
    row.querySelector("button.cancel")?.addEventListener("click", () => cancelRun(r.id));
    return row;
  }));
}

// A class the newest evaluation never predicted: the seed's ReLU classifier does not bring it back.
function deadClassFlag(run) {
  const dead = run.neverPredictedClasses ?? [];
  return dead.length ? ` <span class="dead-class" title="never predicted at the latest evaluation">dead: ${dead.map(esc).join(", ")}</span>` : "";
}

async function startRun(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const run = {};
  for (const [key, value] of form.entries()) {
    if (value === "") continue;
    run[key] = ["name", "optimizer", "recipe"].includes(key) ? value : Number(value);
  }
  const message = view.querySelector("#form-message");
  try {
    const created = await withToken((headers) =>
      api("/api/runs", { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(run) }));
    if (created) {
      message.textContent = `run ${created.id.slice(0, 8)} queued`;
      message.className = "";
      await showRuns();
    }
  } catch (e) {
    message.textContent = e.message;
    message.className = "error";
  }
}

async function cancelRun(id) {
  try {
    await withToken((headers) => api(`/api/runs/${id}/cancel`, { method: "POST", headers }));
  } catch (e) {
    alert(e.message);
  }
}

async function reproduceRun(id) {
  try {
    const created = await withToken((headers) => api(`/api/runs/${id}/reproduce`, { method: "POST", headers }));
    if (created) location.hash = `#/runs/${created.id}`;
  } catch (e) {
    alert(e.message);
  }
}

// --------------------------------------------------------------------------------- one run --
async function showRun(id) {
  const [run, metrics, checkpoints, verdicts] = await Promise.all([
    api(`/api/runs/${id}`), api(`/api/runs/${id}/metrics`), api(`/api/runs/${id}/checkpoints`),
    api(`/api/runs/${id}/reproduction`)]);
  if (!view.querySelector(`#run-${CSS.escape(id)}`)) {
    view.replaceChildren($(`<div id="run-${esc(id)}">
      <h2 id="run-title"></h2><div class="facts" id="facts"></div>
      <div class="charts">
        <div class="chart"><canvas id="loss-chart"></canvas></div>
        <div class="chart"><canvas id="accuracy-chart"></canvas></div>
      </div>
      <div id="dead-classes"></div>
      <div id="reproduction"></div>
      <h3>Test recall per class (latest evaluation)</h3>
      <table><thead><tr><th>class</th><th>recall</th><th>predicted</th></tr></thead><tbody id="classes"></tbody></table>
      <h3>Confusion matrix (latest evaluation): rows are the true class, columns the class predicted</h3>
      <table class="confusion" id="confusion"></table>
      <h3>Checkpoints</h3>
      <table><thead><tr><th>id</th><th>kind</th><th>epoch</th><th>step</th><th>test top-1</th><th>test top-5</th><th>SavedModel</th><th>weights SHA-256</th><th>lineage</th><th>created</th></tr></thead>
      <tbody id="checkpoints"></tbody></table></div>`));
  }
  const h = run.hyperparameters;
  view.querySelector("#run-title").innerHTML = `${esc(run.name || "run")} <span class="status ${esc(run.status)}">${esc(run.status)}</span>`;
  const facts = [
    ["progress", `<span class="bar"><div style="width:${100 * (run.progress ?? (run.status === "SUCCEEDED" ? 1 : 0))}%"></div></span> step ${run.step}/${run.totalSteps ?? "?"}`],
    ["epoch", `${run.epoch}/${h.epochs}`], ["images/s", num(run.imagesPerSecond)], ["ETA", duration(run.etaSeconds)],
    ["device", esc(run.device ?? "–")], ["precision", esc(h.precision ?? "fp32")], ["parameters", run.params?.toLocaleString() ?? "–"],
    ["hyperparameters", `${h.resize} px · ${h.optimizer} lr ${h.learningRate} · batch ${h.batchSize} · 1×1 ×${h.oneByOneConvs} · dropout ${h.dropout} · seed ${h.seed} · ${esc(h.recipe)} recipe${recipeOptions(h)}`],
    ["run id", `${esc(run.id)} <button id="reproduce" type="button">Reproduce</button>`],
    ...(run.reproduces ? [["reproduces", `<a href="#/runs/${esc(run.reproduces)}">${esc(run.reproduces.slice(0, 8))}</a>`]] : []),
    ...(run.sweepId ? [["sweep", `<a href="#/sweeps/${esc(run.sweepId)}">trial ${run.sweepTrial} of ${esc(run.sweepId.slice(0, 8))}</a>`]] : []),
    ...(run.stopReason ? [["stopped early", esc(run.stopReason)]] : []),
  ];
  view.querySelector("#facts").innerHTML = facts.map(([k, v]) => `<div><span>${k}</span>${v}</div>`).join("") + (run.error ? `<div class="error">${esc(run.error)}</div>` : "");
  view.querySelector("#reproduce").onclick = () => reproduceRun(run.id);
  view.querySelector("#reproduction").innerHTML = run.reproduces ? `<h3>Reproduction of run ${esc(run.reproduces.slice(0, 8))}, epoch by epoch</h3>
    <table><thead><tr><th>epoch</th><th>verdict</th><th>largest weight difference</th><th>test top-1 delta</th><th>original checkpoint</th></tr></thead>
    <tbody>${verdicts.map((v) => `<tr class="verdict ${esc(v.verdict)}"><td>${v.epoch + 1}</td><td>${esc(v.verdict)}</td>
      <td>${v.maxAbsWeightDiff == null ? "–" : Number(v.maxAbsWeightDiff).toExponential(2)}</td>
      <td>${v.testTop1Delta == null ? "–" : (100 * v.testTop1Delta).toFixed(2) + " pt"}</td><td>${v.originalCheckpointId ?? "–"}</td></tr>`).join("")
      || `<tr><td colspan="5">no epoch compared yet</td></tr>`}</tbody></table>` : "";
  lineChart("loss-chart", "Loss", "cross-entropy", [
    { label: "train (running, per step)", data: series(metrics, "step", "train", "loss") },
    { label: "train (epoch)", data: series(metrics, "epoch", "train", "loss"), points: 4 },
    { label: "test (epoch)", data: series(metrics, "epoch", "test", "loss"), points: 4 },
  ]);
  lineChart("accuracy-chart", "Accuracy", "accuracy", [
    { label: "train top-1 (per step)", data: series(metrics, "step", "train", "top1") },
    { label: "train top-5 (per step)", data: series(metrics, "step", "train", "top5") },
    { label: "test top-1 (epoch)", data: series(metrics, "epoch", "test", "top1"), points: 4 },
    { label: "test top-5 (epoch)", data: series(metrics, "epoch", "test", "top5"), points: 4 },
  ], 1);
  const dead = run.neverPredictedClasses ?? [];
  view.querySelector("#dead-classes").innerHTML = dead.length
    ? `<p class="dead-class">Dead class: ${dead.map(esc).join(", ")} never predicted at the latest evaluation.
       Once the last convolution's ReLU has closed a class's channel on every image, that class gets no gradient and does not come back.</p>`
    : "";
  view.querySelector("#classes").innerHTML = (run.latestClasses ?? []).map((c) => `<tr class="${c.neverPredicted ? "dead-class" : ""}">
    <td>${c.classIndex} ${esc(c.className)}</td><td>${pct(c.recall)}</td><td>${c.predicted}</td></tr>`).join("");
  view.querySelector("#confusion").innerHTML = confusionTable(run.latestClasses ?? []);
  view.querySelector("#checkpoints").innerHTML = checkpoints.map((c) => `<tr><td>${c.id}</td><td>${esc(c.kind)}</td><td>${c.epoch + 1}</td>
    <td>${c.step}</td><td>${pct(c.testTop1)}</td><td>${pct(c.testTop5)}</td><td>${c.modelBytes ? `<a href="/api/checkpoints/${c.id}/savedmodel">${(c.modelBytes / 1e6).toFixed(1)} MB</a>` : "–"}</td>
    <td class="digest" title="${esc(c.weightsSha256)}">${c.weightsSha256 ? esc(c.weightsSha256.slice(0, 12)) : "–"}</td>
    <td>${c.kind === "epoch" ? `<a href="/api/checkpoints/${c.id}/lineage">lineage</a>` : "–"}</td>
    <td>${esc(new Date(c.createdAt).toLocaleString())}</td></tr>`).join("");
}

// The recipe's options a run trains with, where they differ from none (the chapter's values).
function recipeOptions(h) {
  const o = [];
  if (h.warmupSteps) o.push(`warm-up ${h.warmupSteps} steps`);
  if (h.schedule && h.schedule !== "constant") o.push(`${esc(h.schedule)} schedule`);
  if (h.labelSmoothing) o.push(`label smoothing ${h.labelSmoothing}`);
  if (h.weightDecay) o.push(`weight decay ${h.weightDecay}`);
  if (h.augment) o.push("random horizontal flips");
  if (h.cropPadding) o.push(`random crops, padding ${h.cropPadding}`);
  if (h.averageDecay) o.push(`weight average ${h.averageDecay}`);
  return o.length ? ` (${o.join(", ")})` : "";
}

// Each cell shaded by its share of the row's images: the diagonal is recall, a column of zeros a dead class.
function confusionTable(classes) {
  const rows = classes.filter((c) => Array.isArray(c.predictedAs));
  if (!rows.length) return "";
  const head = `<thead><tr><th>true \\ predicted</th>${classes.map((c) => `<th title="${esc(c.className)}">${c.classIndex}</th>`).join("")}</tr></thead>`;
  const body = rows.map((c) => `<tr><th>${c.classIndex} ${esc(c.className)}</th>${c.predictedAs.map((n, k) => {
    const share = c.images ? n / c.images : 0;
    const hue = k === c.classIndex ? "47,158,68" : "214,51,108";
    return `<td style="background: rgba(${hue},${share.toFixed(3)})">${n}</td>`;
  }).join("")}</tr>`).join("");
  return head + `<tbody>${body}</tbody>`;
}

// ------------------------------------------------------------------------------ comparison --
async function showCompare(ids) {
  const runs = await Promise.all(ids.map(async (id) => ({ run: await api(`/api/runs/${id}`), metrics: await api(`/api/runs/${id}/metrics`) })));
  if (!view.querySelector("#compare-view")) {
    view.replaceChildren($(`<div id="compare-view"><h2>Comparing ${ids.length} runs</h2>
      <div class="charts"><div class="chart"><canvas id="compare-top1"></canvas></div>
      <div class="chart"><canvas id="compare-loss"></canvas></div></div><table id="compare-table"></table></div>`));
  }
  const label = (r) => `${r.name || r.id.slice(0, 8)} (${r.hyperparameters.resize} px, 1×1 ×${r.hyperparameters.oneByOneConvs}, lr ${r.hyperparameters.learningRate})`;
  // epochs, not steps, on x: runs with other batch sizes or subsets line up
  const perEpoch = (metrics) => metrics.filter((m) => m.scope === "epoch" && m.split === "test").map((m) => ({ x: m.epoch + 1, y: m.top1 }));
  lineChart("compare-top1", "Test top-1 per epoch", "accuracy", runs.map(({ run, metrics }) => ({ label: label(run), data: perEpoch(metrics), points: 4 })), 1, "epoch");
  lineChart("compare-loss", "Training loss", "cross-entropy", runs.map(({ run, metrics }) => ({ label: label(run), data: series(metrics, "step", "train", "loss") })));
  view.querySelector("#compare-table").innerHTML = "<tr><th>run</th><th>status</th><th>best test top-1</th><th>images/s</th></tr>" +
    runs.map(({ run }) => `<tr><td><a href="#/runs/${esc(run.id)}">${esc(label(run))}</a></td><td>${esc(run.status)}</td><td>${pct(run.bestTestTop1)}</td><td>${num(run.imagesPerSecond)}</td></tr>`).join("");
}

// ---------------------------------------------------------------------------------- sweeps --
async function showSweeps() {
  const sweeps = await api("/api/sweeps?limit=50");
  if (!view.querySelector("#sweeps-table")) {
    view.replaceChildren($(`<div><h2>Sweeps</h2>
      <p>Start one with <code>POST /api/sweeps</code> (see the API page): a base run, the fields to vary, a budget and a rung rule.</p>
      <table id="sweeps-table"><thead><tr><th>sweep</th><th>status</th><th>search</th><th>trials</th>
        <th>early stopping</th><th>best test top-1</th><th>created</th></tr></thead><tbody></tbody></table></div>`));
  }
  view.querySelector("#sweeps-table tbody").replaceChildren(...sweeps.map((s) => $(`<tr data-sweep="${esc(s.id)}">
    <td><a href="#/sweeps/${esc(s.id)}">${esc(s.name || s.id.slice(0, 8))}</a></td>
    <td><span class="status ${esc(s.status)}">${esc(s.status)}</span></td><td>${esc(s.search)}</td>
    <td>${Object.entries(s.trialStatuses).map(([k, n]) => `${n} ${esc(k.toLowerCase().replace("_", " "))}`).join(", ")}</td>
    <td>${ruleText(s.earlyStopping)}</td><td>${pct(s.best?.bestTestTop1)}</td>
    <td>${esc(new Date(s.createdAt).toLocaleString())}</td></tr>`)));
}

const ruleText = (e) => (e.rule === "none" ? "none" : `${esc(e.rule)} at epochs ${e.rungs.join(", ")}${e.rule === "asha" ? ` (η ${e.eta})` : ""}`);

async function showSweep(id) {
  const sweep = await api(`/api/sweeps/${id}`);
  const fields = Object.keys(sweep.spec?.space ?? {});
  if (!view.querySelector(`#sweep-${CSS.escape(id)}`)) {
    view.replaceChildren($(`<div id="sweep-${esc(id)}">
      <h2 id="sweep-title"></h2><div class="facts" id="sweep-facts"></div>
      <div class="charts"><div class="chart"><canvas id="sweep-curves"></canvas></div></div>
      <h3>Each varied field against the trial's best test top-1</h3>
      <div class="charts small">${fields.map((f, i) => `<div class="chart"><canvas id="sweep-field-${i}"></canvas></div>`).join("")}</div>
      <h3>Trials, best first</h3>
      <table><thead><tr><th>rank</th><th>trial</th><th>status</th><th>values</th><th>epochs</th><th>best test top-1</th>
        <th>final test top-1</th><th>time</th><th>why it stopped</th></tr></thead><tbody id="trials"></tbody></table></div>`));
  }
  const open = sweep.status === "QUEUED" || sweep.status === "RUNNING";
  view.querySelector("#sweep-title").innerHTML = `${esc(sweep.name)} <span class="status ${esc(sweep.status)}">${esc(sweep.status)}</span>
    ${open ? `<button id="cancel-sweep" type="button">Cancel sweep</button>` : ""}`;
  view.querySelector("#cancel-sweep")?.addEventListener("click", async () => {
    try { await withToken((headers) => api(`/api/sweeps/${id}/cancel`, { method: "POST", headers })); } catch (e) { alert(e.message); }
  });
  view.querySelector("#sweep-facts").innerHTML = [
    ["search", `${esc(sweep.search)}${sweep.search === "random" ? ` (seed ${sweep.seed})` : ""}`],
    ["trials", `${sweep.trials}, ${sweep.parallelism} at a time`],
    ["early stopping", ruleText(sweep.earlyStopping)],
    ["trial statuses", Object.entries(sweep.trialStatuses).map(([k, n]) => `${n} ${esc(k)}`).join(", ")],
    ["best", sweep.best ? `${pct(sweep.best.bestTestTop1)}, <a href="#/runs/${esc(sweep.best.runId)}">trial ${sweep.best.trial}</a>` : "–"],
    ["base run", `<code>${esc(JSON.stringify(sweep.spec?.base ?? {}))}</code>`],
  ].map(([k, v]) => `<div><span>${k}</span>${v}</div>`).join("");
  const trials = sweep.trialsByRank;
  const trialLabel = (t) => `trial ${t.trial}: ${Object.entries(t.values ?? {}).map(([k, v]) => `${k} ${v}`).join(", ")}`;
  lineChart("sweep-curves", "Test top-1 per epoch, trial by trial (dashed: stopped early)", "accuracy",
    trials.map((t, i) => ({ label: trialLabel(t), data: t.testTop1.map((y, e) => ({ x: e + 1, y })), points: 3,
      borderDash: t.status === "STOPPED_EARLY" ? [5, 4] : undefined, color: COLORS[(t.trial - 1) % COLORS.length] })), 1, "epoch");
  fields.forEach((field, i) => fieldChart(`sweep-field-${i}`, field, trials));
  view.querySelector("#trials").innerHTML = trials.map((t) => `<tr data-trial="${t.trial}"><td>${t.rank}</td>
    <td><a href="#/runs/${esc(t.runId)}">trial ${t.trial}</a></td><td><span class="status ${esc(t.status)}">${esc(t.status)}</span></td>
    <td>${Object.entries(t.values ?? {}).map(([k, v]) => `${esc(k)} ${esc(v)}`).join(" · ")}</td><td>${t.epochsDone}</td>
    <td>${pct(t.bestTestTop1)}</td><td>${pct(t.finalTestTop1)}</td><td>${duration(t.durationSeconds)}</td>
    <td class="reason">${esc(t.stopReason ?? "")}</td></tr>`).join("");
}

// One hyperparameter against best top-1: numbers on a (log, when they span a decade) axis, other values as categories.
function fieldChart(id, field, trials) {
  const points = trials.filter((t) => t.bestTestTop1 != null && t.values && field in t.values);
  const numeric = points.every((t) => typeof t.values[field] === "number");
  const categories = numeric ? [] : [...new Set(points.map((t) => String(t.values[field])))];
  const xs = points.map((t) => (numeric ? t.values[field] : categories.indexOf(String(t.values[field]))));
  const positive = numeric && xs.length && Math.min(...xs) > 0;
  const log = positive && Math.max(...xs) / Math.min(...xs) >= 10;
  const data = { datasets: [{ label: field, data: points.map((t, k) => ({ x: xs[k], y: t.bestTestTop1 })), pointRadius: 5,
    backgroundColor: points.map((t) => (t.status === "STOPPED_EARLY" ? "#6f42c1" : "#2a7de1")) }] };
  if (charts[id] && charts[id].canvas.isConnected) {
    charts[id].data = data;
    charts[id].update("none");
    return;
  }
  charts[id] = new Chart(document.getElementById(id), {
    type: "scatter", data,
    options: { animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { title: { display: true, text: `${field} → best test top-1` }, legend: { display: false } },
      scales: {
        x: { type: log ? "logarithmic" : "linear", title: { display: true, text: field },
          ...(numeric ? {} : { min: -0.5, max: categories.length - 0.5, ticks: { stepSize: 1, callback: (v) => categories[v] ?? "" } }) },
        y: { min: 0, max: 1, title: { display: true, text: "best test top-1" } } } },
  });
}

// ---------------------------------------------------------------------------------- router --
async function render() {
  const hash = location.hash || "#/";
  try {
    if (hash.startsWith("#/runs/")) await showRun(hash.slice(7));
    else if (hash.startsWith("#/compare/")) await showCompare(hash.slice(10).split(","));
    else if (hash.startsWith("#/sweeps/")) await showSweep(hash.slice(9));
    else if (hash === "#/sweeps") await showSweeps();
    else await showRuns();
  } catch (e) {
    view.replaceChildren($(`<p class="error">${esc(e.message)}</p>`));
  }
}

function route() {
  clearTimeout(timer);
  view.replaceChildren();
  const loop = async () => { await render(); timer = setTimeout(loop, REFRESH_MS); };
  loop();
}

window.addEventListener("hashchange", route);
route();
